#pragma once
/// `TaskGroup<S>`: spawn tasks onto scheduler `S` and join them all (a nursery, like TBB's task_group), and
/// `fork_join`, the fork-join of n tasks that the models' run_tasks is made of.
///
///   TaskGroup<S> group;              // inside a task of S
///   group.spawn(child(1));           // ready at once; the spawner goes on
///   group.spawn(child(2));
///   co_await group.join();           // resumes when both ended; rethrows the first exception any of them threw
///
/// Every spawned task must be joined before the group is destroyed (as with std::thread: std::terminate
/// otherwise, since the tasks would report to a dead group). After a join the group can spawn again.

#include <atomic>
#include <cassert>
#include <coroutine>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <type_traits>

#include "harness/models/coro/scheduler.hpp"
#include "harness/models/coro/task.hpp"

namespace concbench::coro {

template <Scheduler S>
class TaskGroup final : private detail::Completion {
 public:
  /// Binds the group to the scheduler running the calling task.
  TaskGroup() noexcept : scheduler_(S::current()) { assert(scheduler_ != nullptr); }
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;
  ~TaskGroup() {
    if (load(std::memory_order_relaxed) != 1) std::terminate();  // spawned tasks not joined
  }

  void spawn(Task<void> task) noexcept {
    // Relaxed: the spawner still holds the group's own reference, so the count cannot reach zero meanwhile;
    // what the task needs to see of the spawner is published by spawn() (the scheduler's queue).
    if constexpr (S::kMultiThreaded) {
      pending_.fetch_add(1, std::memory_order_relaxed);
    } else {
      ++pending_;
    }
    scheduler_->spawn(detail::spawned(std::move(task), *this));
  }

  class [[nodiscard]] JoinAwaiter {
   public:
    explicit JoinAwaiter(TaskGroup& group) noexcept : group_(group) {}
    // Nothing spawned, or everything already ended. Acquire: pairs with each task's release in task_done(),
    // so their writes (and a stored error) are visible here.
    bool await_ready() const noexcept { return group_.load(std::memory_order_acquire) == 1; }
    bool await_suspend(std::coroutine_handle<> self) noexcept {
      group_.joiner_ = self;
      // Drop the group's own reference. acq_rel: release publishes `joiner_` to whichever task ends last;
      // acquire, in case this drop is the last one, makes the tasks' writes visible. Suspends unless every
      // task ended meanwhile; from then on the last task may resume us on another thread (touch nothing).
      return group_.release_one() != 1;
    }
    void await_resume() const {
      // Every task has ended: nothing touches the group concurrently. Restore its own reference for reuse.
      group_.store_one();
      if (group_.error_) std::rethrow_exception(std::exchange(group_.error_, nullptr));
    }

   private:
    TaskGroup& group_;
  };

  JoinAwaiter join() noexcept { return JoinAwaiter(*this); }

 private:
  using Count = std::conditional_t<S::kMultiThreaded, std::atomic<std::size_t>, std::size_t>;

  std::coroutine_handle<> task_done(std::exception_ptr error) noexcept override {
    if (error) {
      // The first error wins. Written before this task's release below, so the joiner sees it.
      std::lock_guard lock(error_lock_);
      if (!error_) error_ = std::move(error);
    }
    // acq_rel: release publishes this task's writes to the joiner; acquire (when last) sees every other
    // task's writes and the joiner's `joiner_`, then resumes the joiner here by symmetric transfer.
    return release_one() == 1 ? joiner_ : std::coroutine_handle<>{};
  }

  /// Drops one reference; returns the count before.
  std::size_t release_one() noexcept {
    if constexpr (S::kMultiThreaded) {
      return pending_.fetch_sub(1, std::memory_order_acq_rel);
    } else {
      return pending_--;
    }
  }
  std::size_t load(std::memory_order order) const noexcept {
    if constexpr (S::kMultiThreaded) {
      return pending_.load(order);
    } else {
      return pending_;
    }
  }
  void store_one() noexcept {
    if constexpr (S::kMultiThreaded) {
      pending_.store(1, std::memory_order_relaxed);  // no task left to race with; the next spawn posts it
    } else {
      pending_ = 1;
    }
  }

  S* scheduler_;
  Count pending_{1};  // tasks spawned and not yet ended, plus the group's own reference until join()
  std::coroutine_handle<> joiner_;
  typename S::Lock error_lock_;
  std::exception_ptr error_;
};

/// The body of task `index` of a fork-join: returns the task (a coroutine).
using TaskBody = std::function<Task<void>(std::size_t index)>;

namespace detail {

/// Above this many tasks, a multi-threaded fork-join spawns the upper half of its range as a task of its own:
/// an idle worker steals it (the oldest task of a deque) and spawns that half itself, so a large fork-join is
/// spawned by every worker instead of one, with one steal per half rather than one per tiny task (oneTBB
/// splits a parallel_for the same way). 16, measured on the 2-vCPU VM (spawn/flat, 1,000 tasks, 2 workers):
/// with 64 a worker done with its half stole the other's tiny tasks one by one, ~27 steals per run at a
/// cross-core round trip each, and 2 workers were no faster than 1 (48 vs 51 ns per task); with 16, ~7
/// steals, 33 vs 52 ns; one extra task per 16 costs 1 worker nothing measurable.
inline constexpr std::size_t kSplitGrain = 16;

/// Spawns body(first..last-1) and joins them; rethrows the first exception, after every task ended. Each half
/// handed to a task of its own (multi-threaded schedulers) is joined by that task, in a group of its own: the
/// tasks of a half, run on the worker that took it, count down a counter no other worker touches (one shared
/// counter for all made every task's end a cache-line transfer between the cores: 2 workers ran a flat
/// fork-join 3x slower than one).
template <Scheduler S>
Task<void> join_range(const TaskBody& body, std::size_t first, std::size_t last) {
  TaskGroup<S> group;
  std::exception_ptr spawn_error;  // creating a task can fail (allocation): join what was spawned first
  try {
    if constexpr (S::kMultiThreaded) {
      while (last - first > kSplitGrain) {
        const auto middle = first + (last - first) / 2;
        group.spawn(join_range<S>(body, middle, last));  // `body` outlives it: this task waits for it
        last = middle;
      }
    }
    for (; first < last; ++first) group.spawn(body(first));
  } catch (...) {
    spawn_error = std::current_exception();
  }
  co_await group.join();
  if (spawn_error) std::rethrow_exception(spawn_error);
}

}  // namespace detail

/// Spawns `tasks` tasks `body(0..tasks-1)` on S and joins them; rethrows the first exception, after every
/// task ended. `body` is taken by value: the closures the tasks run in live in this frame until the join. On
/// one thread the tasks are spawned in index order; on a pool, in halves (see detail::kSplitGrain).
template <Scheduler S>
Task<void> fork_join(std::size_t tasks, TaskBody body) {
  co_await detail::join_range<S>(body, 0, tasks);
}

}  // namespace concbench::coro
