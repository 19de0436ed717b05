/// `philosophers` on the stackful models: one generic body for every model of harness/models/model_registry.hpp.
/// Forks are the model's mutex; the waiter is the model's channel; thinking and eating are its blocking wait.

#include <memory>

#include <fmt/format.h>

#include "benchmarks/binding.hpp"
#include "benchmarks/philosophers/cell.hpp"
#include "harness/models/channels.hpp"
#include "harness/models/interpreted.hpp"

namespace concbench {
namespace {

using philosophers::ForkPair;
using philosophers::Jitter;
using philosophers::Strategy;

template <StackfulModel M>
class StackfulPhilosophers final : public philosophers::Cell {
 public:
  StackfulPhilosophers(M model, const CellKey& key)
      : philosophers::Cell(key),
        model_(std::move(model)),
        forks_(std::make_unique<typename M::Mutex[]>(config().philosophers)),
        waiter_(config().philosophers - 1) {}

  /// A TBB task keeps its thread until it ends, and a philosopher blocks its thread on a fork: on fewer
  /// threads than philosophers they would eat in batches, never all at one table (no contention worth the
  /// name, no reachable naive deadlock, meaningless fairness).
  static std::string unsupported(const CellKey& key) {
    if (can_interleave<M>(key.tasks, key.cores)) return {};
    return fmt::format("{} philosophers that wait on each other cannot interleave on {} {} thread(s)", key.tasks,
                       key.cores, key.model);
  }

  void run_once() override {
    run([this] { return model_.run_tasks(config().philosophers, [this](std::size_t seat) { dine(seat); }); });
  }

 private:
  using Mutex = typename M::Mutex;

  void dine(std::size_t seat) {
    Jitter jitter(config().seed, run_index(), seat);
    const auto forks = philosophers::forks_for(config(), seat);
    for (std::int64_t meal = 0; meal < config().meals; ++meal) {
      tick<M>();
      const auto hungry = Clock::now();
      acquire(forks, jitter);
      table().record_wait(seat, Clock::now() - hungry);
      table().start_eating(seat);
      wait(config().eat);
      table().stop_eating(seat);
      release(forks);
      if (meal + 1 < config().meals) wait(jitter.think(config()));
    }
    table().leave();
  }

  void acquire(ForkPair forks, Jitter& jitter) {
    switch (config().strategy) {
      case Strategy::kNoForks:
        return;
      case Strategy::kTrylock:
        for (;;) {
          lock(forks_[forks.first]);
          between_forks();
          if (forks_[forks.second].try_lock()) return;
          forks_[forks.first].unlock();
          wait(jitter.backoff(config()));  // seeded: the jitter is what breaks the livelock
          tick<M>();
        }
      case Strategy::kWaiter:
        table().mark_blocked();
        waiter_.send(0);  // admitted: at most N − 1 hold a seat's token
        table().mark_unblocked();
        [[fallthrough]];
      case Strategy::kNaive:
      case Strategy::kOrdered:
        lock(forks_[forks.first]);
        between_forks();
        lock(forks_[forks.second]);
        return;
    }
  }

  void release(ForkPair forks) {
    if (config().strategy == Strategy::kNoForks) return;
    forks_[forks.second].unlock();
    forks_[forks.first].unlock();
    if (config().strategy == Strategy::kWaiter) waiter_.receive();  // gives the token back
  }

  /// A lock that may block: the deadlock monitor counts the philosopher as blocked meanwhile.
  void lock(Mutex& fork) {
    table().mark_blocked();
    fork.lock();
    table().mark_unblocked();
  }

  void between_forks() {
    if (config().yield_between) M::yield();
    wait(config().gap);
    tick<M>();
  }

  static void wait(std::chrono::microseconds time) {
    if (time.count() > 0) M::block_for(time);
  }

  M model_;
  std::unique_ptr<Mutex[]> forks_;
  typename M::template Channel<int> waiter_;  // N − 1 slots: a counting semaphore of seats
};

}  // namespace

constinit const CellMaker philosophers::stackful_body = &make_stackful_cell<StackfulPhilosophers>;

}  // namespace concbench
