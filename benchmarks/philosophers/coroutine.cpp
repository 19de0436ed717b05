/// `philosophers` on the coroutine models: the stackful body's protocol (stackful.cpp) with every wait
/// awaited. Forks are the model's Mutex (a held fork is a ScopedLock), the waiter its Channel.

#include <memory>
#include <optional>

#include "benchmarks/philosophers/cell.hpp"
#include "harness/models/coroutine_model.hpp"

namespace concbench {
namespace {

using philosophers::Jitter;
using philosophers::Strategy;

template <CoroutineModel M>
class CoroutinePhilosophers final : public philosophers::Cell {
 public:
  CoroutinePhilosophers(M model, const CellKey& key) : philosophers::Cell(key), model_(std::move(model)) {
    set_table();
  }

  void run_once() override {
    try {
      run([this] { return model_.run_tasks(config().philosophers, [this](std::size_t seat) { return dine(seat); }); });
    } catch (...) {
      // The event loop gave up on tasks that wait on each other (a deadlock): their frames are leaked, still
      // queued on these forks and this waiter, so those are leaked with them and the next run gets new ones.
      (void)forks_.release();
      (void)waiter_.release();
      set_table();
      throw;
    }
  }

 private:
  using Mutex = typename M::Mutex;
  using Held = std::optional<typename Mutex::ScopedLock>;

  void set_table() {
    forks_ = std::make_unique<Mutex[]>(config().philosophers);
    waiter_ = std::make_unique<typename M::template Channel<int>>(config().philosophers - 1);
  }

  /// A member coroutine, not a capturing lambda: its frame keeps `this` and `seat` as parameters.
  coro::Task<void> dine(std::size_t seat) {
    Jitter jitter(config().seed, run_index(), seat);
    const auto forks = philosophers::forks_for(config(), seat);
    const auto strategy = config().strategy;
    for (std::int64_t meal = 0; meal < config().meals; ++meal) {
      const auto hungry = Clock::now();
      Held first;
      Held second;
      if (strategy == Strategy::kWaiter) {
        table().mark_blocked();
        co_await waiter_->send(0);  // admitted: at most N − 1 hold a seat's token
        table().mark_unblocked();
      }
      while (strategy != Strategy::kNoForks && !second) {
        table().mark_blocked();
        first.emplace(co_await forks_[forks.first].lock());
        table().mark_unblocked();
        if (config().yield_between) co_await M::yield();
        if (config().gap.count() > 0) co_await wait(config().gap);
        if (strategy != Strategy::kTrylock) {
          table().mark_blocked();
          second.emplace(co_await forks_[forks.second].lock());
          table().mark_unblocked();
        } else if (forks_[forks.second].try_lock()) {
          second.emplace(forks_[forks.second]);  // adopts the fork try_lock took
        } else {
          first.reset();
          co_await wait(jitter.backoff(config()));  // seeded: the jitter is what breaks the livelock
        }
      }
      table().record_wait(seat, Clock::now() - hungry);
      table().start_eating(seat);
      co_await wait(config().eat);
      table().stop_eating(seat);
      second.reset();
      first.reset();
      if (strategy == Strategy::kWaiter) co_await waiter_->receive();  // gives the token back
      if (meal + 1 < config().meals) co_await wait(jitter.think(config()));
    }
    table().leave();
  }

  static coro::Task<void> wait(std::chrono::microseconds time) {
    if (time.count() > 0) co_await M::block_for(time);
  }

  M model_;
  std::unique_ptr<Mutex[]> forks_;
  std::unique_ptr<typename M::template Channel<int>> waiter_;  // N − 1 slots: a counting semaphore of seats
};

}  // namespace

CellSetup make_philosophers_coroutine(const CellKey& key, const ModelContext& context) {
  return make_coroutine_cell<CoroutinePhilosophers>(key, context);
}

}  // namespace concbench
