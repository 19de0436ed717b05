/// `pingpong` on the `bare` pseudo-model (models/bare.hpp): each hand-off primitive in a minimal loop with no
/// model around it, the reference for the model rows whose metric `primitive` names it. Each task counts its
/// rounds locally and reports them once, after its last (pingpong::Cell::played).
///  - symmetric-transfer: two hand-written coroutines (bare::Task), each resuming the other straight from
///    await_suspend; they alternate by construction, so there is no turn word to check: per round, one
///    count and one transfer.
///  - fiber-yield: two Boost.Fiber fibers on the calling thread (round_robin), each yielding until the turn
///    is its own.
///  - atomic-wait: two std::threads waiting on the turn with std::atomic::wait, woken by notify_one.

#include <array>
#include <coroutine>

#include <boost/fiber/operations.hpp>

#include "benchmarks/bare/coroutine_loops.hpp"
#include "benchmarks/bare/fiber_loops.hpp"
#include "benchmarks/bare/thread_loops.hpp"
#include "benchmarks/binding.hpp"
#include "benchmarks/pingpong/pingpong.hpp"
#include "harness/models/coro/resume.hpp"

namespace concbench {
namespace {

/// Suspends the caller and resumes `peer` (coro::transfer_to: a tail call in the measured builds).
struct SwitchTo {
  std::coroutine_handle<> peer;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) const noexcept { return coro::transfer_to(peer); }
  void await_resume() const noexcept {}
};

class BarePingpong final : public pingpong::Cell {
 public:
  explicit BarePingpong(const CellKey& key) : pingpong::Cell(key), primitive_(key.params.get("primitive")) {}

  void run_once() override {
    start_run();
    if (primitive_ == primitive::kSymmetricTransfer) {
      end_run(coroutines());
    } else if (primitive_ == primitive::kFiberYield) {
      std::array<boost::fibers::fiber, 2> fibers;
      bare::on_fibers(fibers, boost::fibers::launch::post, [this](std::size_t task) { play_fiber(task); });
      end_run({1, "calling-thread"});
    } else {
      end_run({bare::on_threads(2, [this](std::size_t task) { play_thread(task); }), "thread-per-task"});
    }
  }

 private:
  /// The run ends when one of them returns to this function; the other stays suspended and is destroyed with
  /// its Task.
  WorkerUse coroutines() {
    std::array<std::int64_t, 2> rounds{};
    const std::array players{play(rounds_of(0), rounds[0], peers_[0]), play(rounds_of(1), rounds[1], peers_[1])};
    peers_ = {players[1].handle(), players[0].handle()};
    coro::resume(players[0].handle());
    for (std::size_t task = 0; task < 2; ++task) played(task, rounds[task]);
    turn().store(rounds[0] + rounds[1], std::memory_order_relaxed);  // no turn word: the rounds are the turns
    return {1, "calling-thread"};
  }
  /// A member coroutine, not a capturing lambda: its frame keeps its arguments as parameters.
  bare::Task<> play(std::int64_t rounds, std::int64_t& count, const std::coroutine_handle<>& peer) {
    const auto to = peer;  // set by the time the task first runs
    while (count < rounds) {
      ++count;
      co_await SwitchTo{to};
    }
  }

  void play_fiber(std::size_t task) {
    auto& turn = this->turn();
    std::int64_t rounds = 0;
    for (auto r = static_cast<std::int64_t>(task); r < switches(); r += 2, ++rounds) {
      while (turn.load(std::memory_order_acquire) != r) boost::this_fiber::yield();
      pass_turn(r);
    }
    played(task, rounds);
  }

  void play_thread(std::size_t task) {
    auto& turn = this->turn();
    std::int64_t rounds = 0;
    for (auto r = static_cast<std::int64_t>(task); r < switches(); r += 2, ++rounds) {
      for (std::int64_t seen; (seen = turn.load(std::memory_order_acquire)) != r;) {
        turn.wait(seen, std::memory_order_acquire);
      }
      pass_turn(r);
      turn.notify_one();
    }
    played(task, rounds);
  }

  std::string primitive_;
  std::array<std::coroutine_handle<>, 2> peers_{};
};

}  // namespace

constinit const CellMaker pingpong::Bodies::bare = &make_bare_cell<BarePingpong>;

}  // namespace concbench
