#include "harness/models/coroutine_pool.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>

#include "harness/models/coro/resume.hpp"
#include "harness/models/coroutine_model.hpp"
#include "harness/models/spin_pause.hpp"

namespace concbench {

static_assert(CoroutineModel<CoroutinePoolModel>);

CoroutinePool::CoroutinePool(int workers) : workers_(std::max(workers, 1)) {
  for (int i = 0; i < workers_; ++i) own_.push_back(std::make_unique<Worker>());  // before any thief looks
  threads_.reserve(static_cast<std::size_t>(workers_ - 1));
  for (int i = 1; i < workers_; ++i) threads_.emplace_back([this, i] { work(i); });
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
    shared_ready_.fetch_add(1, std::memory_order_relaxed);
    wake = sleepers_.load(std::memory_order_relaxed) > 0;
  }
  // Notified after unlocking, so the woken worker does not block at once on the mutex. A sleeping worker went
  // to sleep under the mutex, so this notify cannot be lost; a spinning one sees shared_ready_.
  if (wake) work_cv_.notify_one();
}

void CoroutinePool::spawn(std::coroutine_handle<> handle) noexcept {
  if (current_ != this) {  // not on one of this pool's workers: nobody's deque to push to
    post(handle);
    return;
  }
  own_[static_cast<std::size_t>(worker_index_)]->deque.push(handle.address());
  // seq_cst, after push's seq_cst store: pairs with sleep(), which counts itself a sleeper, then looks at the
  // deques. At least one of the two sees the other, so a stealable task is never left while all others sleep.
  if (sleepers_.load(std::memory_order_seq_cst) > 0) wake_a_sleeper();
}

void CoroutinePool::post_at(coro::Clock::time_point deadline, std::coroutine_handle<> handle) noexcept {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    // A sleeping worker sleeps until the earliest timer (or indefinitely when there was none): a new earliest
    // timer must wake one to shorten its sleep. A later timer needs nobody: whoever wakes for the earlier one
    // sees it.
    wake = sleepers_.load(std::memory_order_relaxed) > 0 && (timers_.empty() || deadline < timers_.next_deadline());
    timers_.push(deadline, handle);
    timers_pending_.fetch_add(1, std::memory_order_relaxed);
  }
  if (wake) work_cv_.notify_one();
}

void CoroutinePool::release_due_timers() {
  const auto released =
      timers_.pop_due(coro::Clock::now(), [this](std::coroutine_handle<> handle) { ready_.push_back(handle); });
  const auto count = static_cast<std::int64_t>(released);
  timers_pending_.fetch_sub(count, std::memory_order_relaxed);
  shared_ready_.fetch_add(count, std::memory_order_relaxed);
  // This worker takes one; wake sleeping ones for the rest (each woken worker re-checks, so extra wakes are
  // harmless).
  const auto sleeping = static_cast<std::size_t>(sleepers_.load(std::memory_order_relaxed));
  for (std::size_t i = 1; i < released && i <= sleeping; ++i) work_cv_.notify_one();
}

void CoroutinePool::wake_a_sleeper() noexcept {
  // One waker at a time: in a burst of spawns only the first pays for the notify. A sleeper clears the flag
  // when it goes to sleep and when it wakes.
  if (waking_.exchange(true, std::memory_order_acq_rel)) return;
  // A worker between its last look at the deques and its wait holds the mutex: once we have had it, that
  // worker waits, and the notify reaches it.
  { std::lock_guard lock(mutex_); }
  work_cv_.notify_one();
}

void CoroutinePool::work(int index) {
  current_ = this;
  worker_index_ = index;
  for (std::uint64_t pick = 1; !(on_caller() && run_over()); ++pick) {
    if (const auto handle = find_work(index, pick)) {
      coro::resume(handle);
    } else if (!spin_for_work() && !sleep()) {
      break;
    }
  }
  worker_index_ = -1;
  current_ = nullptr;
}

std::coroutine_handle<> CoroutinePool::find_work(int index, std::uint64_t pick) noexcept {
  // Own deque first (newest first: depth first), then the shared queue, then another worker's oldest task;
  // every kFairShare-th pick looks at the shared queue first, so woken and yielding tasks always get a turn.
  const bool shared_first = pick % kFairShare == 0;
  if (shared_first) {
    if (const auto handle = take_shared()) return handle;
  }
  if (void* frame = own_[static_cast<std::size_t>(index)]->deque.pop()) {
    return std::coroutine_handle<>::from_address(frame);
  }
  if (!shared_first) {
    if (const auto handle = take_shared()) return handle;
  }
  return steal(index);
}

std::coroutine_handle<> CoroutinePool::take_shared() noexcept {
  // Without the mutex when both are empty: spawn-only work never takes it. Relaxed: a post missed here is
  // seen under the mutex in sleep(), before this worker sleeps.
  if (shared_ready_.load(std::memory_order_relaxed) == 0 && timers_pending_.load(std::memory_order_relaxed) == 0) {
    return {};
  }
  std::lock_guard lock(mutex_);
  // Timers are checked at every pick while any is pending (one clock read), so a due timer waits at most for
  // a worker to finish its current slice of work, never behind a long ready queue.
  if (!timers_.empty()) release_due_timers();
  if (ready_.empty()) return {};
  const auto handle = ready_.front();
  ready_.pop_front();
  shared_ready_.fetch_sub(1, std::memory_order_relaxed);
  return handle;
}

std::coroutine_handle<> CoroutinePool::steal(int index) noexcept {
  for (int offset = 1; offset < workers_; ++offset) {
    auto& victim = own_[static_cast<std::size_t>((index + offset) % workers_)]->deque;
    if (void* frame = victim.steal()) {
      steals_.fetch_add(1, std::memory_order_relaxed);
      // More left there and a worker asleep: wake it to steal too (how a pool of more than two ramps up).
      if (!victim.empty() && sleepers_.load(std::memory_order_relaxed) > 0) wake_a_sleeper();
      return std::coroutine_handle<>::from_address(frame);
    }
  }
  return {};
}

bool CoroutinePool::any_stealable() const noexcept {
  for (const auto& worker : own_) {
    if (!worker->deque.empty()) return true;
  }
  return false;
}

bool CoroutinePool::spin_for_work() const noexcept {
  // Alone, there is nothing to steal; while a timer is pending, sleep() waits for it instead (it wakes for a
  // spawn or a post too).
  if (workers_ == 1 || timers_pending_.load(std::memory_order_relaxed) > 0) return false;
  const auto until = coro::Clock::now() + kSpinBeforeSleep;
  // Pause, never sched_yield: with anything else runnable (a build at nice 19), a yield handed the CPU over for
  // a whole time slice, and a 50 µs run took 4 ms. (When run()'s caller only waited, yielding let it start
  // the next run sooner on a quiet machine: spawn/flat on 2 workers 35-40 ns per task instead of 47-49;
  // a sleeping worker instead, woken for the next run, made it 57-60.)
  do {
    for (int i = 0; i < 32; ++i) spin_pause();
    if (any_stealable() || shared_ready_.load(std::memory_order_relaxed) > 0) return true;
    if (on_caller() && run_over()) return true;  // run()'s caller: back to run() at once
  } while (coro::Clock::now() < until);
  return false;
}

bool CoroutinePool::sleep() {
  std::unique_lock lock(mutex_);
  if (!timers_.empty()) release_due_timers();
  if (!ready_.empty()) return true;
  if (stopping_) return false;
  sleepers_.fetch_add(1, std::memory_order_seq_cst);  // then look at the deques: see spawn()
  waking_.store(false, std::memory_order_relaxed);
  if (any_stealable()) {
    sleepers_.fetch_sub(1, std::memory_order_relaxed);
    return true;
  }
  if (!timers_.empty()) {
    work_cv_.wait_until(lock, timers_.next_deadline());
  } else {
    // Every worker asleep, nothing ready, nothing to steal and no timer: no task can ever be made ready again
    // (only tasks and run() post or spawn), so a root still running is deadlocked. Tell run() rather than
    // hang until the cell's watchdog.
    if (sleepers_.load(std::memory_order_relaxed) == workers_ && root_running_) {
      stalled_ = true;
      run_over_.store(true, std::memory_order_relaxed);
      work_cv_.notify_all();  // run()'s caller may be one of the sleepers
    }
    if (!(on_caller() && run_over())) work_cv_.wait(lock);
  }
  sleepers_.fetch_sub(1, std::memory_order_relaxed);
  waking_.store(false, std::memory_order_relaxed);
  return true;
}

void CoroutinePool::run(coro::Task<void> root) {
  assert(current_ == nullptr && "run() is called from outside the pool");
  {
    std::lock_guard lock(mutex_);
    assert(!root_running_ && "one run() at a time");
    root_running_ = true;
    stalled_ = false;
    run_over_.store(false, std::memory_order_relaxed);
  }
  // On the caller's own deque: it starts the root at once, and an idle worker can steal it as any spawn.
  own_[0]->deque.push(coro::detail::spawned(std::move(root), *this).address());
  work(0);
  std::lock_guard lock(mutex_);
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
    run_over_.store(true, std::memory_order_relaxed);
  }
  // run()'s caller may be asleep (the root ended on another worker); the pool outlives run(), so notifying
  // after unlocking is safe. Other sleepers go back to sleep.
  if (!on_caller()) work_cv_.notify_all();
  return {};
}

}  // namespace concbench
