#include "harness/models/fiber_ws.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/type.hpp>

#include "harness/models/fiber_detail.hpp"
#include "harness/models/first_error.hpp"

namespace concbench {

static_assert(CompleteStackfulModel<FiberWsModel>);

namespace {

using namespace fiber_detail;

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

/// The pool thread running the calling fiber. Never inlined: a fiber may have moved to another thread since
/// its caller last read a thread-local, and GCC may keep a thread-local's address within a function.
[[gnu::noinline]] std::size_t this_pool_thread() noexcept { return pool_thread_index; }

}  // namespace

/// N threads running Boost.Fiber with fiber_detail::DepthFirst: stealing from each other when N > 1, alone
/// when N = 1 (nothing to steal: no locks, no migration).
///
/// Thread 0 takes jobs from callers (std::mutex + condition_variable: the caller's thread never gets a
/// Boost.Fiber scheduler), launches one fiber per task, waits for them fiber-aware (so it runs fibers
/// meanwhile) and fulfils the caller's promise. Threads 1..N-1 only steal and run fibers: their main fibers
/// wait for the pool to stop. Between jobs thread 0 blocks at the OS level, which is safe because every
/// fiber of the job has ended.
///
/// The schedulers and the stack caches belong to the pool, not to its threads, so a thread still stealing or
/// freeing a stolen fiber's stack while the others end never reaches a destroyed one; the pool is destroyed
/// at exit after joining its threads.
class FiberWsModel::Pool {
 public:
  explicit Pool(int threads) : threads_(static_cast<std::size_t>(threads)), peers_(threads_) {
    for (std::size_t index = 0; index < threads_; ++index) {
      // Every scheduler exists before any thread runs: a thief reads all of them.
      schedulers_.emplace_back(threads_ > 1 ? new DepthFirst(peers_, index) : new DepthFirst());
      stacks_.push_back(std::make_unique<StackCache>());
    }
    threads_list_.reserve(threads_);
    for (std::size_t index = 0; index < threads_; ++index) {
      threads_list_.emplace_back([this, index] { serve(index); });
    }
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
  void serve(std::size_t index) {
    pool_thread_index = index;
    on_pool_thread = true;
    StackCache::install(*stacks_[index]);
    fibers::context::active()->get_scheduler()->set_algo(schedulers_[index]);
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
  void run(const std::shared_ptr<Job>& job) const {
    launch(job, 0, job->tasks, threads_ > 1);
    {
      std::unique_lock lock(job->mutex);
      job->ended_cv.wait(lock, [&] { return job->ended; });
    }
    job->done.set_value();
  }

  /// Launches the tasks [first, last) of `job`, one fiber each, with launch::post (queued; a sleeping peer is
  /// woken to steal them). With `split`, a range above kLaunchGrain first hands its upper half to a launcher
  /// fiber of its own, which an idle thread steals (oneTBB splits a parallel_for's range the same way): a
  /// large fork-join is launched by every thread, not by thread 0 alone, whose launching loop held 2 threads
  /// to 1.9x the 1-thread time per fiber.
  static void launch(const std::shared_ptr<Job>& job, std::size_t first, std::size_t last, bool split) {
    CachedStacks stacks;
    std::size_t next = first;  // the first task not launched
    try {
      while (split && last - first > kLaunchGrain) {
        const auto middle = first + (last - first) / 2;
        fibers::fiber(fibers::launch::post, std::allocator_arg, stacks, [job, middle, last] {
          launch(job, middle, last, true);
          fiber_ends();
        }).detach();
        last = middle;
      }
      Job* const shared = job.get();  // its last task ends before the caller lets go of it
      for (; next < last; ++next) {
        fibers::fiber(fibers::launch::post, std::allocator_arg, stacks, [shared, task = next] {
          shared->used.mark(this_pool_thread());  // the thread it starts on
          run_catching(shared->body, task, shared->errors);
          tasks_ended(*shared, 1);
          fiber_ends();
        }).detach();
      }
    } catch (...) {  // no stack or context for a fiber: the tasks not launched count as ended, with the error
      job->errors.capture();
      tasks_ended(*job, last - next);
    }
  }

  /// `count` more tasks of `job` ended; the last one tells the launching thread.
  static void tasks_ended(Job& job, std::size_t count) {
    // acq_rel: the last task sees every other task's writes (their errors included) and publishes them
    // through the mutex below and then the promise.
    if (count == 0 || job.remaining.fetch_sub(count, std::memory_order_acq_rel) != count) return;
    std::lock_guard lock(job.mutex);
    job.ended = true;
    job.ended_cv.notify_one();
  }

  /// Tasks one launcher fiber launches itself: splitting further would cost more launchers than it spreads.
  static constexpr std::size_t kLaunchGrain = 64;

  const std::size_t threads_;
  DepthFirst::Peers peers_;
  std::vector<boost::intrusive_ptr<DepthFirst>> schedulers_;  // shared with each thread's Boost scheduler
  std::vector<std::unique_ptr<StackCache>> stacks_;           // one per thread, freed after the threads end
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

std::mutex pools_mutex;
std::map<int, std::unique_ptr<FiberWsModel::Pool>> pools;  // one per N; stopped and joined at exit

}  // namespace

FiberWsModel::FiberWsModel(const ModelContext& context) {
  const int cores = context.cores;
  if (cores < 1) throw std::invalid_argument("fiber-ws needs at least one thread");
  std::lock_guard lock(pools_mutex);
  auto& pool = pools[cores];
  if (pool == nullptr) pool = std::make_unique<Pool>(cores);
  pool_ = pool.get();
  used_ = std::make_unique<WorkerSet>(cores);
}

int FiberWsModel::threads() const noexcept { return pool_->threads(); }

WorkerUse FiberWsModel::run_tasks(std::size_t tasks, const TaskBody& body) {
  constexpr std::string_view mapping = "fiber-per-task";
  if (tasks == 0) return {used_->count(), mapping};
  if (on_pool_thread) {
    // A task spawning tasks (skynet's nodes): launched from this fiber, depth first, while peers steal the
    // spawner. Blocking this thread on a job, as a call from outside does, would stop the fibers it waits for.
    WorkerSet& used = *used_;
    run_nested(tasks, body, [&used](std::size_t) { used.mark(this_pool_thread()); });
    return {used.count(), mapping};
  }
  auto job = std::make_shared<Job>(tasks, body, *used_);
  auto done = job->done.get_future();
  pool_->submit(job);
  done.wait();  // the calling thread runs no fibers: it simply blocks
  job->errors.rethrow();
  return {used_->count(), mapping};
}

}  // namespace concbench
