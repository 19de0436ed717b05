#pragma once
/// `coroutine`: C++20 stackless coroutines on a single-threaded event loop, like asyncio's.
///
/// The loop (`EventLoop`) has a ready queue of coroutine handles and a timer queue of tasks in a blocking
/// wait. Each iteration moves the due timers to the ready queue, then resumes as many handles as were ready
/// when it began; only when nothing is ready does it sleep, until the earliest timer. So 1,000 tasks each
/// waiting 10 ms finish in about 10 ms on one thread. Tasks switch only at `co_await`; the cores axis is
/// always 1. The children a task spawns go to the front of the ready queue when it suspends (depth first):
/// a skynet tree keeps its depth × fan-out frames alive, not the whole tree.

#include <chrono>
#include <coroutine>
#include <deque>
#include <exception>
#include <memory>
#include <vector>

#include "harness/models/coro/channel.hpp"
#include "harness/models/coro/mutex.hpp"
#include "harness/models/coro/scheduler.hpp"
#include "harness/models/coro/task.hpp"
#include "harness/models/coro/task_group.hpp"
#include "harness/models/coro/timer_queue.hpp"
#include "harness/models/model.hpp"

namespace concbench {

class EventLoop final : private coro::detail::Completion {
 public:
  static constexpr bool kMultiThreaded = false;
  using Lock = coro::NullLock;

  EventLoop() = default;
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  ~EventLoop() = default;

  /// The loop running on this thread (null outside run()).
  static EventLoop* current() noexcept { return current_; }

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

 private:
  std::coroutine_handle<> task_done(std::exception_ptr error) noexcept override;

  static constinit inline thread_local EventLoop* current_ = nullptr;

  std::deque<std::coroutine_handle<>> ready_;
  std::vector<std::coroutine_handle<>> spawned_;  // by the task resumed last, in spawn order
  coro::TimerQueue timers_;
  bool root_done_ = false;
  std::exception_ptr root_error_;
};

class CoroutineLoopModel {
 public:
  static constexpr ModelInfo info{.id = "coroutine",
                                  .description = "C++20 stackless coroutines on a single-threaded event loop",
                                  .single_core = true,
                                  .concurrent = true,
                                  .family = "coroutine"};
  static constexpr ModelHooks hooks{};
  using Scheduler = EventLoop;
  using TaskGroup = coro::TaskGroup<EventLoop>;
  using Mutex = coro::Mutex<EventLoop>;
  template <class T>
  using Channel = coro::Channel<T, EventLoop>;

  explicit CoroutineLoopModel(const ModelContext& context);
  WorkerUse run_tasks(std::size_t tasks, const coro::TaskBody& body);

  static coro::Task<void> fork_join(std::size_t tasks, coro::TaskBody body) {
    return coro::fork_join<EventLoop>(tasks, std::move(body));
  }
  static coro::SleepFor<EventLoop> block_for(std::chrono::nanoseconds wait) noexcept {
    return coro::SleepFor<EventLoop>(wait);
  }
  static coro::Yield<EventLoop> yield() noexcept { return {}; }

 private:
  std::unique_ptr<EventLoop> loop_;  // on the heap: the model is moved into its cell
};

}  // namespace concbench
