#pragma once
/// `coroutine-pool`: the coroutines of `coroutine` resumed by a pool of N worker threads (N = cores).
///
/// One ready queue and one timer queue, shared by the workers under one mutex (simple and fair; fine for the
/// handful of cores this suite targets, a work-stealing design would scale further). A worker resumes ready
/// tasks; when none is ready it moves the due timers to the ready queue, or sleeps on a condition variable
/// until the earliest timer or a post(). So no worker ever blocks in a task's blocking wait, mutex or channel:
/// those suspend the task, and the worker runs another.

#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "models/coro/channel.hpp"
#include "models/coro/mutex.hpp"
#include "models/coro/scheduler.hpp"
#include "models/coro/task.hpp"
#include "models/coro/task_group.hpp"
#include "models/coro/timer_queue.hpp"
#include "models/model.hpp"

namespace concbench {

class CoroutinePool final : private coro::detail::Completion {
 public:
  static constexpr bool kMultiThreaded = true;
  using Lock = std::mutex;

  /// Starts `workers` threads (they sleep until there is work).
  explicit CoroutinePool(int workers);
  CoroutinePool(const CoroutinePool&) = delete;
  CoroutinePool& operator=(const CoroutinePool&) = delete;
  /// Stops and joins the workers. No task may be running (run() has returned).
  ~CoroutinePool();

  /// The pool whose worker is the calling thread (null on any other thread).
  static CoroutinePool* current() noexcept { return current_; }

  void post(std::coroutine_handle<> handle) noexcept;
  void post_at(coro::Clock::time_point deadline, std::coroutine_handle<> handle) noexcept;

  /// From a thread outside the pool: runs `root` (and every task it spawns) on the workers and waits until it
  /// ended; rethrows its exception. Throws std::runtime_error when every worker is idle with no timer pending
  /// while the root has not ended (every remaining task waits for another: a deadlock); those frames leak.
  void run(coro::Task<void> root);

  int workers() const noexcept { return workers_; }

 private:
  std::coroutine_handle<> task_done(std::exception_ptr error) noexcept override;  // the root's
  void work();
  /// Moves the due timers to the ready queue (with mutex_ held).
  void release_due_timers();

  static constinit inline thread_local CoroutinePool* current_ = nullptr;

  const int workers_;  // set before the threads start (they read it; threads_ grows while they run)
  std::mutex mutex_;   // guards everything below but threads_
  std::condition_variable work_cv_;    // workers wait here for a post, a timer or the stop
  std::condition_variable caller_cv_;  // run() waits here for the root's end or a deadlock
  std::deque<std::coroutine_handle<>> ready_;
  coro::TimerQueue timers_;
  int idle_ = 0;  // workers waiting on work_cv_
  bool root_running_ = false;
  bool stalled_ = false;
  bool stopping_ = false;
  std::exception_ptr root_error_;
  std::vector<std::thread> threads_;
};

class CoroutinePoolModel {
 public:
  static constexpr ModelInfo info{"coroutine-pool", "C++20 coroutines resumed by a pool of N threads", false,
                                  true, false, false, "coroutine"};
  using Scheduler = CoroutinePool;
  using TaskGroup = coro::TaskGroup<CoroutinePool>;
  using Mutex = coro::Mutex<CoroutinePool>;
  template <class T>
  using Channel = coro::Channel<T, CoroutinePool>;

  /// Starts one worker per core (at least one).
  explicit CoroutinePoolModel(int cores);
  WorkerUse run_tasks(std::size_t tasks, const coro::TaskBody& body);

  static coro::Task<void> fork_join(std::size_t tasks, coro::TaskBody body) {
    return coro::fork_join<CoroutinePool>(tasks, std::move(body));
  }
  static coro::SleepFor<CoroutinePool> block_for(std::chrono::nanoseconds wait) noexcept {
    return coro::SleepFor<CoroutinePool>(wait);
  }
  static coro::Yield<CoroutinePool> yield() noexcept { return {}; }

 private:
  std::unique_ptr<CoroutinePool> pool_;  // on the heap: the model is moved into its cell, the workers stay put
};

}  // namespace concbench
