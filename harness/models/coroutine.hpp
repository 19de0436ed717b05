#pragma once
/// `coroutine`: C++20 stackless coroutines on a single-threaded event loop, like asyncio's.
///
/// The loop (`EventLoop`) has a ready queue of coroutine handles and a timer queue of tasks in a blocking
/// wait. Each iteration moves the due timers to the ready queue, then resumes as many handles as were ready
/// when it began; only when nothing is ready does it sleep, until the earliest timer. So 1,000 tasks each
/// waiting 10 ms finish in about 10 ms on one thread. Tasks switch only at `co_await`; the cores axis is
/// always 1. The children a task spawns go to the front of the ready queue when it suspends (depth first):
/// a skynet tree keeps its depth × fan-out frames alive, not the whole tree. The model is
/// CoroutineModelOn<EventLoop, ...> (coroutine_model_on.hpp): this file holds the loop.

#include <coroutine>
#include <deque>
#include <exception>
#include <vector>

#include "harness/models/coro/scheduler.hpp"
#include "harness/models/coro/task.hpp"
#include "harness/models/coro/timer_queue.hpp"
#include "harness/models/coroutine_model_on.hpp"
#include "harness/models/root_scheduler_base.hpp"

namespace concbench {

class EventLoop final : public RootSchedulerBase<EventLoop, false, true>, private coro::detail::Completion {
 public:
  /// The loop runs its tasks on the thread that calls run(), whatever the cell's CPUs.
  explicit EventLoop(int /*cores*/ = 1) noexcept {}

  void post(std::coroutine_handle<> handle) noexcept { ready_.push_back(handle); }
  /// A task's new child: it runs right after the spawner suspends, before every older ready task, with its
  /// siblings in spawn order (see run()).
  void spawn(std::coroutine_handle<> handle) noexcept { spawned_.push_back(handle); }
  void post_at(coro::Clock::time_point deadline, std::coroutine_handle<> handle) noexcept {
    timers_.push(deadline, handle);
  }

  /// Runs `root` and every task it spawns on the calling thread until none is left; rethrows the root's
  /// exception. Throws std::runtime_error if tasks are left that can never be woken (every one of them waits
  /// for another: a deadlock); their frames are then leaked.
  void run(coro::Task<void> root);
  static constexpr int workers() noexcept { return 1; }

 private:
  std::coroutine_handle<> task_done(std::exception_ptr error) noexcept override;

  std::deque<std::coroutine_handle<>> ready_;
  std::vector<std::coroutine_handle<>> spawned_;  // by the task resumed last, in spawn order
  coro::TimerQueue timers_;
  bool root_done_ = false;
  std::exception_ptr root_error_;
};

inline constexpr ModelInfo kCoroutineLoopInfo =
    on_one_thread("coroutine", "C++20 stackless coroutines on a single-threaded event loop", "coroutine");
using CoroutineLoopModel = CoroutineModelOn<EventLoop, kCoroutineLoopInfo>;

}  // namespace concbench
