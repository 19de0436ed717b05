#include "harness/models/gil/gil_lock.hpp"

#include "harness/models/gil/held_time.hpp"

namespace concbench::gil {

const void* GilLock::self() {
  thread_local const char marker = 0;
  return &marker;
}

void GilLock::take() {
  const auto start = std::chrono::steady_clock::now();
  const void* me = self();
  std::unique_lock lock(mutex_);
  while (locked_) {
    const auto saved_switch_number = switch_number_;
    const bool timed_out = cond_.wait_for(lock, interval_) == std::cv_status::timeout;
    // Timed out and nobody switched meanwhile: ask the holder to drop (SET_GIL_DROP_REQUEST).
    if (timed_out && locked_ && switch_number_ == saved_switch_number) {
      drop_request_.store(true, std::memory_order_relaxed);
    }
  }
  {
    // As CPython: switch_mutex is taken before last_holder changes, so a forced dropper waiting on
    // switch_cond cannot miss the change.
    std::lock_guard switch_lock(switch_mutex_);
    locked_ = true;
    if (last_holder_.load(std::memory_order_relaxed) != me) {
      last_holder_.store(me, std::memory_order_relaxed);
      ++switch_number_;
      stats_.count_switch();
    }
    switch_cond_.notify_all();
  }
  // RESET_GIL_DROP_REQUEST: whoever asked has now got the lock (or we have it, which serves as well).
  drop_request_.store(false, std::memory_order_relaxed);
  lock.unlock();
  const auto now = std::chrono::steady_clock::now();
  stats_.count_take(now - start);
  HeldTime::start(now);
  stats_.holders().enter(me);
}

void GilLock::drop() {
  const void* me = self();
  stats_.holders().leave(me);
  HeldTime::stop(std::chrono::steady_clock::now());
  last_holder_.store(me, std::memory_order_relaxed);
  {
    std::lock_guard lock(mutex_);
    locked_ = false;
    cond_.notify_one();
  }
  // FORCE_SWITCHING: a drop that finds a pending request waits until another thread has the lock,
  // so the dropper cannot take it straight back.
  if (drop_request_.load(std::memory_order_relaxed)) {
    std::unique_lock switch_lock(switch_mutex_);
    if (last_holder_.load(std::memory_order_relaxed) == me) {
      drop_request_.store(false, std::memory_order_relaxed);
      switch_cond_.wait(switch_lock, [&] { return last_holder_.load(std::memory_order_relaxed) != me; });
    }
  }
}

}  // namespace concbench::gil
