#pragma once
/// `coroutine-pool`: the coroutines of `coroutine` resumed by a pool of N worker threads (N = cores): run()'s
/// caller is worker 0 for the run, as a thread that waits on a oneTBB task_group works in its arena, and the
/// pool starts N − 1 threads. (With N threads of its own and a caller that slept, every run paid two thread
/// wake-ups: the caller handing the root over and the worker handing the end back. At 1 core, where the two
/// shared the CPU, that was a tenth of a 20,000-switch pingpong run and capped a 1,000-task fork-join's 2-core
/// speedup near 1.1×.)
///
/// Each worker has a work-stealing deque (coro/detail/steal_deque.hpp) for the tasks spawned on it: it runs its
/// own newest first (depth first, as oneTBB and Go run a spawner's children), and an idle worker steals the
/// oldest of another's. Every other wake-up — the root task, a yield, a mutex or channel hand-off, a due
/// timer — goes to one shared FIFO ready queue under one mutex, so those keep their order and fairness; a
/// worker looks at that queue first every kFairShare picks, so a stream of spawns never starves it. A worker
/// with nothing to run spins briefly, then sleeps on a condition variable until the earliest timer, a post or
/// a spawn. So no worker ever blocks in a task's blocking wait, mutex or channel: those suspend the task, and
/// the worker runs another. (With one shared queue for everything, spawning scaled backwards: skynet 104 ns
/// per task on 1 worker, 299 ns on 2, every spawn and pick through the one mutex.) The model is
/// CoroutineModelOn<CoroutinePool, ...> (coroutine_model_on.hpp): this file holds the pool.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "harness/models/coro/detail/steal_deque.hpp"
#include "harness/models/coro/scheduler.hpp"
#include "harness/models/coro/task.hpp"
#include "harness/models/coro/timer_queue.hpp"
#include "harness/models/coroutine_model_on.hpp"
#include "harness/models/root_scheduler_base.hpp"

namespace concbench {

class CoroutinePool final : public RootSchedulerBase<CoroutinePool, true, true>, private coro::detail::Completion {
 public:
  /// Starts `workers` − 1 threads (they sleep until there is work); run()'s caller is the last worker.
  explicit CoroutinePool(int workers);
  /// Stops and joins the workers. No task may be running (run() has returned).
  ~CoroutinePool();

  /// To the shared FIFO queue.
  void post(std::coroutine_handle<> handle) noexcept;
  /// To the calling worker's deque (a task spawning a child); from outside the pool, like post().
  void spawn(std::coroutine_handle<> handle) noexcept;
  void post_at(coro::Clock::time_point deadline, std::coroutine_handle<> handle) noexcept;

  /// From a thread outside the pool: runs `root` (and every task it spawns) on the workers, the calling thread
  /// being worker 0 until the root has ended; rethrows its exception. Throws DeadlockError when every worker is
  /// idle with no timer pending while the root has not ended (every remaining task waits for another: a
  /// deadlock); those frames leak.
  void run(coro::Task<void> root);

  int workers() const noexcept { return workers_; }

  /// Testing aid: tasks a worker took from another worker's deque since the pool started.
  std::uint64_t steals() const noexcept { return steals_.load(std::memory_order_relaxed); }

 private:
  /// One worker's own state, on cache lines of its own.
  struct alignas(64) Worker {
    coro::detail::StealDeque<void> deque;  // coroutine frames (a handle's address)
  };

  std::coroutine_handle<> task_done(std::exception_ptr error) noexcept override;  // the root's
  /// Worker `index`'s loop: a thread's until the pool stops, run()'s caller's (worker 0) until the root has
  /// ended or is stalled.
  void work(int index);
  /// Whether the calling thread is run()'s caller, worker 0 (the pool's threads are workers 1 .. N−1).
  static bool on_caller() noexcept { return worker_index_ == 0; }
  /// Whether run()'s caller may leave its loop: the root ended or every worker is stuck (relaxed: the mutex
  /// orders what run() reads after).
  bool run_over() const noexcept { return run_over_.load(std::memory_order_relaxed); }
  /// The next task for worker `index`, or null when there is none anywhere right now.
  std::coroutine_handle<> find_work(int index, std::uint64_t pick) noexcept;
  std::coroutine_handle<> take_shared() noexcept;
  std::coroutine_handle<> steal(int index) noexcept;
  bool any_stealable() const noexcept;
  /// Spins for up to kSpinBeforeSleep while nothing is there: true when something came.
  bool spin_for_work() const noexcept;
  /// Sleeps until work, a timer or the stop may be there; false when the pool stops.
  bool sleep();
  /// Wakes one sleeping worker to come and steal, unless one is already being woken.
  void wake_a_sleeper() noexcept;
  /// Moves the due timers to the ready queue (with mutex_ held).
  void release_due_timers();

  /// A timing heuristic: a worker looks at the shared queue first once in this many picks (Go's 61).
  static constexpr std::uint64_t kFairShare = 61;
  /// A timing heuristic: how long an idle worker looks for work before it sleeps. Covers the gaps while a
  /// fork-join is being spawned (tens of ns per task) and the gap between two runs (the caller checks the run
  /// and starts the next), so a worker is awake when the next run's tasks come.
  static constexpr std::chrono::microseconds kSpinBeforeSleep{100};

  static constinit inline thread_local int worker_index_ = -1;  // the calling thread's index in its pool

  const int workers_;  // set before the threads start (they read it; threads_ grows while they run)
  std::vector<std::unique_ptr<Worker>> own_;     // one per worker, made before the threads start
  std::atomic<std::int64_t> shared_ready_{0};    // ready_.size(), read without the mutex
  std::atomic<std::int64_t> timers_pending_{0};  // timers_.size(), read without the mutex
  std::atomic<int> sleepers_{0};                 // workers waiting on work_cv_ (changed under mutex_)
  std::atomic<bool> waking_{false};              // a spawner is waking a sleeper (see wake_a_sleeper)
  std::atomic<std::uint64_t> steals_{0};
  std::mutex mutex_;                 // guards everything below but threads_
  std::condition_variable work_cv_;  // workers wait here for a post, a spawn, a timer or the stop
  std::deque<std::coroutine_handle<>> ready_;
  coro::TimerQueue timers_;
  bool root_running_ = false;
  bool stalled_ = false;
  std::atomic<bool> run_over_{false};  // !root_running_ || stalled_, for the caller's loop without the mutex
  bool stopping_ = false;
  std::exception_ptr root_error_;
  std::vector<std::thread> threads_;  // workers 1 .. N−1
};

/// The pool starts one worker per core (at least one).
inline constexpr ModelInfo kCoroutinePoolInfo =
    on_threads("coroutine-pool", "C++20 coroutines resumed by a pool of N threads", "coroutine");
using CoroutinePoolModel = CoroutineModelOn<CoroutinePool, kCoroutinePoolInfo>;

}  // namespace concbench
