#include "models/fiber_ws.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <latch>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/context/pooled_fixedsize_stack.hpp>
#include <boost/fiber/algo/work_stealing.hpp>
#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/type.hpp>

#include "models/first_error.hpp"

namespace concbench {

static_assert(StackfulModel<FiberWsModel>);
static_assert(StackfulModelChannels<FiberWsModel>);

namespace {

namespace fibers = boost::fibers;

/// The context a thief's pick_next just took from a victim's queue (set by the victim's steal(), which runs
/// on the thief's thread), so that pick_next does not count it as taken from its own queue too.
thread_local fibers::context* just_stolen = nullptr;

/// work_stealing with `suspend = true` (an idle thread sleeps instead of spinning), plus the wake-up 1.74
/// lacks: its idle threads sleep until a fiber *of their own* becomes ready, so fibers launched on one
/// thread are never stolen by a sleeping peer and a fork-join runs on one thread (docs/traps.md). Here,
/// whenever a stealable fiber becomes ready, one sleeping peer is woken to come and steal it.
///
/// Each scheduler counts the stealable (not pinned) fibers in its ready queue. A thread about to sleep
/// first announces it, then looks at its peers' counts; a thread queuing a fiber first counts it, then looks
/// for a sleeper. Both sides use seq_cst operations (the store-buffer pattern), so at least one of them sees
/// the other: a fiber is never left queued while every peer sleeps. The counts also keep the idle threads
/// asleep when the only thing queued is a pinned fiber (a dispatcher or main fiber), which cannot migrate.
class WakingWorkStealing final : public fibers::algo::work_stealing {
 public:
  /// `peers` has one slot per pool thread; this scheduler registers itself in slot `index`.
  WakingWorkStealing(std::uint32_t threads, std::uint32_t index, std::vector<WakingWorkStealing*>& peers)
      : work_stealing(threads, /*suspend=*/true), peers_(peers) {
    peers_[index] = this;
  }

  void awakened(fibers::context* ctx) noexcept override {
    // Read before queuing: once queued, a peer may steal the fiber, run it to its end and free its context
    // (it lives on the fiber's stack) before this line would run (UBSan: invalid vptr).
    const bool pinned = ctx->is_context(fibers::type::pinned_context);
    work_stealing::awakened(ctx);
    if (pinned) return;  // main and dispatcher fibers never migrate
    stealable_.fetch_add(1, std::memory_order_seq_cst);
    for (auto* peer : peers_) {
      // The exchange claims the sleeper, so the next fiber wakes a different one.
      if (peer != this && peer->sleeping_.load(std::memory_order_seq_cst) &&
          peer->sleeping_.exchange(false, std::memory_order_seq_cst)) {
        peer->notify();  // sets the flag its suspend_until waits for, even if it has not started waiting
        return;
      }
    }
  }

  fibers::context* pick_next() noexcept override {
    just_stolen = nullptr;
    fibers::context* ctx = work_stealing::pick_next();
    if (ctx != nullptr && ctx != just_stolen && !ctx->is_context(fibers::type::pinned_context)) {
      stealable_.fetch_sub(1, std::memory_order_relaxed);  // popped from our own queue
    }
    return ctx;
  }

  /// Called on this (the victim) scheduler by a thief's pick_next, on the thief's thread.
  fibers::context* steal() noexcept override {
    fibers::context* ctx = work_stealing::steal();  // never a pinned fiber
    if (ctx != nullptr) {
      stealable_.fetch_sub(1, std::memory_order_relaxed);
      just_stolen = ctx;
    }
    return ctx;
  }

  void suspend_until(std::chrono::steady_clock::time_point const& deadline) noexcept override {
    sleeping_.store(true, std::memory_order_seq_cst);
    if (peer_has_stealable_fibers()) {
      // Fibers are queued but could not be stolen just now (a pinned fiber ahead of them in their queue, or
      // another thief was faster): retry soon rather than sleep until woken, and rather than spin.
      work_stealing::suspend_until(std::min(deadline, std::chrono::steady_clock::now() + kRetry));
    } else {
      work_stealing::suspend_until(deadline);
    }
    sleeping_.store(false, std::memory_order_relaxed);
  }

 private:
  /// A timing heuristic: short enough not to leave a core idle for long, long enough not to burn it.
  static constexpr std::chrono::microseconds kRetry{50};

  bool peer_has_stealable_fibers() const noexcept {
    for (const auto* peer : peers_) {
      if (peer != this && peer->stealable_.load(std::memory_order_seq_cst) > 0) return true;
    }
    return false;
  }

  std::vector<WakingWorkStealing*>& peers_;
  std::atomic<bool> sleeping_{false};
  std::atomic<std::int64_t> stealable_{0};  // stealable fibers in this scheduler's ready queue
};

/// The tasks of one run_tasks call. Shared (shared_ptr) by its fibers, the launching pool thread and the
/// caller, so no one depends on the order in which the others let go of it.
struct Job {
  Job(std::size_t count, const TaskBody& task_body, WorkerSet& workers)
      : tasks(count), body(task_body), used(workers), remaining(count) {}
  std::size_t tasks;
  const TaskBody& body;
  WorkerSet& used;
  FirstError errors;
  std::atomic<std::size_t> remaining;
  // Among pool threads only (fiber-aware): the last task to end tells the launching thread.
  fibers::mutex mutex;
  fibers::condition_variable ended_cv;
  bool ended = false;
  // Launching thread -> caller (plain std: the caller never touches Boost.Fiber).
  std::promise<void> done;
};

thread_local std::size_t pool_thread_index = 0;
thread_local bool on_pool_thread = false;  // only tasks (fibers) of this model call run_tasks on a pool thread

/// pooled_fixedsize_stack behind a mutex: a fiber's stack is taken on the thread that launches it and given
/// back on the thread where it ends, which work stealing makes another one. Copies share the pool.
class SharedStackPool {
 public:
  SharedStackPool() : state_(std::make_shared<State>()) {}
  boost::context::stack_context allocate() {
    std::lock_guard lock(state_->mutex);
    return state_->stacks.allocate();
  }
  void deallocate(boost::context::stack_context& stack) noexcept {
    std::lock_guard lock(state_->mutex);
    state_->stacks.deallocate(stack);
  }

 private:
  struct State {
    std::mutex mutex;
    boost::context::pooled_fixedsize_stack stacks{FiberModel::kNestedStackBytes};
  };
  std::shared_ptr<State> state_;
};

}  // namespace

/// N threads running Boost.Fiber schedulers: work_stealing when N > 1; round_robin when N = 1, because
/// 1.74's work_stealing with one thread spins forever in pick_next looking for a peer other than itself as
/// soon as its queue is empty (docs/traps.md).
///
/// Thread 0 takes jobs from callers (std::mutex + condition_variable: the caller's thread never gets a
/// Boost.Fiber scheduler), launches one fiber per task, waits for them fiber-aware (so it runs fibers
/// meanwhile) and fulfils the caller's promise. Threads 1..N-1 only steal and run fibers: their main fibers
/// wait for the pool to stop. Between jobs thread 0 blocks at the OS level, which is safe because every
/// fiber of the job has ended.
///
/// The pool is made once per process and destroyed at exit, where it stops and joins its threads: they
/// must not still be stealing when Boost.Fiber's own static scheduler table is destroyed (which happens
/// after this translation unit's statics, Boost's shared library having been initialised first).
class FiberWsModel::Pool {
 public:
  explicit Pool(int threads)
      : threads_(static_cast<std::uint32_t>(threads)), schedulers_(threads_, nullptr), installed_(threads) {
    // The latch is a member, not a local: a thread may still be inside arrive_and_wait when this returns.
    threads_list_.reserve(threads_);
    for (std::uint32_t index = 0; index < threads_; ++index) {
      threads_list_.emplace_back([this, index] { serve(index); });
    }
    installed_.wait();  // every scheduler installed before the first fiber (see serve)
  }

  ~Pool() {
    {
      std::lock_guard lock(jobs_mutex_);
      stopping_ = true;
    }
    jobs_ready_.notify_one();
    for (auto& thread : threads_list_) thread.join();
  }

  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  int threads() const { return static_cast<int>(threads_); }

  void submit(std::shared_ptr<Job> job) {
    {
      std::lock_guard lock(jobs_mutex_);
      jobs_.push_back(std::move(job));
    }
    jobs_ready_.notify_one();
  }

 private:
  void serve(std::uint32_t index) {
    pool_thread_index = index;
    on_pool_thread = true;
    if (threads_ > 1) fibers::use_scheduling_algorithm<WakingWorkStealing>(threads_, index, std::ref(schedulers_));
    // Block the whole thread (no fiber exists yet) until every scheduler is installed: as soon as a main
    // fiber waits, its dispatcher steals from random peers, and a peer not yet registered is a null
    // pointer in work_stealing's static table.
    installed_.arrive_and_wait();
    if (index == 0) {
      take_jobs();
    } else {
      std::unique_lock lock(stop_mutex_);
      stop_cv_.wait(lock, [this] { return stop_; });  // meanwhile this thread's dispatcher runs fibers
    }
  }

  void take_jobs() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock lock(jobs_mutex_);
        jobs_ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) break;  // stopping, with nothing left to run
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      run(job);
    }
    {
      std::lock_guard lock(stop_mutex_);
      stop_ = true;
    }
    stop_cv_.notify_all();
  }

  /// On thread 0's main fiber: launches the job's fibers, waits until they have all ended, tells the caller.
  static void run(const std::shared_ptr<Job>& job) {
    // launch::post queues each fiber (a sleeping peer is woken to steal it) and this fiber goes on launching.
    for (std::size_t task = 0; task < job->tasks; ++task) {
      fibers::fiber(fibers::launch::post, [job, task] {
        job->used.mark(pool_thread_index);  // the thread it starts on
        run_catching(job->body, task, job->errors);
        // acq_rel: the last task sees every other task's writes (their errors included) and publishes them
        // through the mutex below and then the promise.
        if (job->remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
          std::lock_guard lock(job->mutex);
          job->ended = true;
          job->ended_cv.notify_one();
        }
      }).detach();
    }
    {
      std::unique_lock lock(job->mutex);
      job->ended_cv.wait(lock, [&] { return job->ended; });
    }
    job->done.set_value();
  }

  const std::uint32_t threads_;
  std::vector<WakingWorkStealing*> schedulers_;
  std::latch installed_;
  std::mutex jobs_mutex_;
  std::condition_variable jobs_ready_;
  std::deque<std::shared_ptr<Job>> jobs_;
  bool stopping_ = false;
  fibers::mutex stop_mutex_;
  fibers::condition_variable stop_cv_;
  bool stop_ = false;
  std::vector<std::thread> threads_list_;  // last: the threads start once everything else exists
};

namespace {

std::mutex pool_mutex;
std::unique_ptr<FiberWsModel::Pool> pool;  // one per process; stopped and joined at exit

}  // namespace

FiberWsModel::FiberWsModel(int cores) {
  if (cores < 1) throw std::invalid_argument("fiber-ws needs at least one thread");
  std::lock_guard lock(pool_mutex);
  if (pool == nullptr) {
    pool = std::make_unique<Pool>(cores);
  } else if (pool->threads() != cores) {
    throw std::logic_error("fiber-ws: this process set up work_stealing for " + std::to_string(pool->threads()) +
                           " threads; Boost 1.74 cannot set it up again for " + std::to_string(cores) +
                           " (one process per cell, one N per test binary)");
  }
  pool_ = pool.get();
  used_ = std::make_unique<WorkerSet>(cores);
}

int FiberWsModel::pool_threads() {
  std::lock_guard lock(pool_mutex);
  return pool == nullptr ? 0 : pool->threads();
}

WorkerUse FiberWsModel::run_tasks(std::size_t tasks, const TaskBody& body) {
  const std::string_view mapping = pool_->threads() > 1 ? "fiber-per-task" : "fiber-per-task-round-robin";
  if (tasks == 0) return {used_->count(), mapping};
  if (on_pool_thread) return run_nested(tasks, body, mapping);
  auto job = std::make_shared<Job>(tasks, body, *used_);
  auto done = job->done.get_future();
  pool_->submit(job);
  done.wait();  // the calling thread runs no fibers: it simply blocks
  job->errors.rethrow();
  return {used_->count(), mapping};
}

/// A task spawning tasks (e.g. skynet's nodes): the children are launched from this fiber with
/// launch::dispatch (each runs at once, so few are alive at a time; peers steal the launching fiber
/// meanwhile) on small pooled stacks, and joined fiber-aware. Blocking this thread on a job, as a call from
/// outside does, would stop the fibers the job waits for.
WorkerUse FiberWsModel::run_nested(std::size_t tasks, const TaskBody& body, std::string_view mapping) {
  static SharedStackPool stacks;  // process-wide, like the pool; each fiber keeps a copy (and the pool) alive
  FirstError errors;
  std::vector<fibers::fiber> launched;
  launched.reserve(tasks);
  WorkerSet& used = *used_;
  for (std::size_t index = 0; index < tasks; ++index) {
    launched.emplace_back(fibers::launch::dispatch, std::allocator_arg, stacks, [&body, &errors, &used, index] {
      used.mark(pool_thread_index);
      run_catching(body, index, errors);
    });
  }
  for (auto& fiber : launched) fiber.join();
  errors.rethrow();
  return {used.count(), mapping};
}

}  // namespace concbench
