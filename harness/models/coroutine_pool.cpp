#include "models/coroutine_pool.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

#include "models/coro/resume.hpp"
#include "models/coroutine_model.hpp"

namespace concbench {

static_assert(CoroutineModel<CoroutinePoolModel>);

CoroutinePool::CoroutinePool(int workers) : workers_(std::max(workers, 1)) {
  threads_.reserve(static_cast<std::size_t>(workers_));
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { work(); });
}

CoroutinePool::~CoroutinePool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void CoroutinePool::post(std::coroutine_handle<> handle) noexcept {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    ready_.push_back(handle);
    wake = idle_ > 0;
  }
  // Notified after unlocking, so the woken worker does not block at once on the mutex. A worker counted idle
  // went to sleep under the mutex, so this notify cannot be lost; with no idle worker nobody needs it.
  if (wake) work_cv_.notify_one();
}

void CoroutinePool::post_at(coro::Clock::time_point deadline, std::coroutine_handle<> handle) noexcept {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    // An idle worker sleeps until the earliest timer (or indefinitely when there was none): a new earliest
    // timer must wake one to shorten its sleep. A later timer needs nobody: whoever wakes for the earlier one
    // sees it.
    wake = idle_ > 0 && (timers_.empty() || deadline < timers_.next_deadline());
    timers_.push(deadline, handle);
  }
  if (wake) work_cv_.notify_one();
}

void CoroutinePool::release_due_timers() {
  const auto released =
      timers_.pop_due(coro::Clock::now(), [this](std::coroutine_handle<> handle) { ready_.push_back(handle); });
  // This worker takes one; wake idle ones for the rest (each woken worker re-checks, so extra wakes are harmless).
  for (std::size_t i = 1; i < released && i <= static_cast<std::size_t>(idle_); ++i) work_cv_.notify_one();
}

void CoroutinePool::work() {
  current_ = this;
  std::unique_lock lock(mutex_);
  for (;;) {
    // Timers are checked at every pick (one clock read, only while timers are pending), so a due timer waits
    // at most for a worker to finish its current slice of work, never behind a long ready queue.
    if (!timers_.empty()) release_due_timers();
    if (!ready_.empty()) {
      const auto handle = ready_.front();
      ready_.pop_front();
      lock.unlock();
      coro::resume(handle);
      lock.lock();
      continue;
    }
    if (stopping_) break;
    ++idle_;
    if (!timers_.empty()) {
      work_cv_.wait_until(lock, timers_.next_deadline());
    } else {
      // Every worker idle, nothing ready and no timer: no task can ever be posted again (only tasks and run()
      // post), so a root still running is deadlocked. Tell run() rather than hang until the cell's watchdog.
      if (idle_ == workers_ && root_running_) {
        stalled_ = true;
        caller_cv_.notify_one();
      }
      work_cv_.wait(lock);
    }
    --idle_;
  }
  current_ = nullptr;
}

void CoroutinePool::run(coro::Task<void> root) {
  assert(current_ == nullptr && "run() is called from outside the pool");
  std::unique_lock lock(mutex_);
  assert(!root_running_ && "one run() at a time");
  root_running_ = true;
  stalled_ = false;
  ready_.push_back(coro::detail::spawned(std::move(root), *this));
  if (idle_ > 0) work_cv_.notify_one();
  caller_cv_.wait(lock, [this] { return !root_running_ || stalled_; });
  if (root_running_) {
    root_running_ = false;
    throw DeadlockError("coroutine-pool: every remaining task waits for another");
  }
  if (root_error_) std::rethrow_exception(std::exchange(root_error_, nullptr));
}

std::coroutine_handle<> CoroutinePool::task_done(std::exception_ptr error) noexcept {
  {
    std::lock_guard lock(mutex_);
    root_running_ = false;
    root_error_ = std::move(error);
  }
  caller_cv_.notify_one();  // the pool outlives run(), so notifying after unlocking is safe
  return {};
}

CoroutinePoolModel::CoroutinePoolModel(int cores) : pool_(std::make_unique<CoroutinePool>(cores)) {}

WorkerUse CoroutinePoolModel::run_tasks(std::size_t tasks, const coro::TaskBody& body) {
  pool_->run(fork_join(tasks, body));
  return {pool_->workers(), {}};
}

}  // namespace concbench
