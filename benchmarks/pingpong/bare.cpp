/// `pingpong` on the `bare` pseudo-model (models/bare.hpp): each hand-off primitive in a minimal loop with no
/// model around it, the reference for the model rows whose metric `primitive` names it.
///  - symmetric-transfer: two hand-written coroutines, each resuming the other straight from await_suspend.
///  - fiber-yield: two Boost.Fiber fibers on the calling thread (round_robin), yielding to each other.
///  - atomic-wait: two std::threads waiting on the turn with std::atomic::wait, woken by notify_one.

#include <array>
#include <coroutine>
#include <exception>
#include <thread>

#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>

#include "models/coro/resume.hpp"
#include "pingpong/pingpong.hpp"

namespace concbench {
namespace {

/// The least a coroutine needs: created suspended, stays suspended at its end so its owner destroys it.
struct Player {
  struct promise_type {
    Player get_return_object() noexcept { return {std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

/// Suspends the caller and resumes `peer` (coro::transfer_to: a tail call in the measured builds).
struct SwitchTo {
  std::coroutine_handle<> peer;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) const noexcept { return coro::transfer_to(peer); }
  void await_resume() const noexcept {}
};

class BarePingpong final : public pingpong::Cell {
 public:
  explicit BarePingpong(const CellKey& key)
      : pingpong::Cell(key, key.params.get("primitive")), primitive_(key.params.get("primitive")) {}

  void run_once() override {
    start_run();
    if (primitive_ == primitive::kSymmetricTransfer) {
      end_run(coroutines());
    } else if (primitive_ == primitive::kFiberYield) {
      end_run(fibers());
    } else {
      end_run(threads());
    }
  }

 private:
  /// Each round hands over unconditionally: the two coroutines alternate by construction. The run ends when
  /// one of them returns to this function; the other stays suspended and is destroyed with its frame.
  WorkerUse coroutines() {
    const std::array players{play(0), play(1)};
    peers_ = {players[1].handle, players[0].handle};
    coro::resume(players[0].handle);
    for (const auto& player : players) player.handle.destroy();
    return {1, "calling-thread"};
  }
  Player play(std::size_t task) {
    for (auto r = static_cast<std::int64_t>(task); r < switches(); r += 2) {
      finish_round(task, r);
      co_await SwitchTo{peers_[task]};
    }
  }

  WorkerUse fibers() {
    auto& turn = this->turn();
    const auto play = [this, &turn](std::size_t task) {
      for (auto r = static_cast<std::int64_t>(task); r < switches(); r += 2) {
        while (turn.load(std::memory_order_acquire) != r) boost::this_fiber::yield();
        finish_round(task, r);
      }
    };
    boost::fibers::fiber first(play, 0);
    boost::fibers::fiber second(play, 1);
    first.join();
    second.join();
    return {1, "calling-thread"};
  }

  WorkerUse threads() {
    auto& turn = this->turn();
    const auto play = [this, &turn](std::size_t task) {
      for (auto r = static_cast<std::int64_t>(task); r < switches(); r += 2) {
        for (std::int64_t seen; (seen = turn.load(std::memory_order_acquire)) != r;) {
          turn.wait(seen, std::memory_order_acquire);
        }
        finish_round(task, r);
        turn.notify_one();
      }
    };
    std::thread first(play, 0);
    std::thread second(play, 1);
    first.join();
    second.join();
    return {2, "thread-per-task"};
  }

  std::string primitive_;
  std::array<std::coroutine_handle<>, 2> peers_{};
};

}  // namespace

CellSetup make_pingpong_bare(const CellKey& key) { return {std::make_unique<BarePingpong>(key), {}}; }

}  // namespace concbench
