#pragma once
/// `Mutex<S>`: a mutex for the tasks of scheduler S that suspends the waiting task instead of blocking its
/// thread (like asyncio.Lock or cppcoro's async_mutex).
///
///   auto lock = co_await mutex.lock();   // a ScopedLock: unlocks when it goes out of scope
///
/// Unlocking with tasks waiting hands the mutex straight to the oldest one (it stays locked and is posted to
/// its scheduler): FIFO, no barging, no thundering herd. Its state is guarded by S::Lock (a std::mutex held
/// for a few instructions on a pool, nothing on one thread); that lock, and the scheduler's queue a woken task
/// goes through, order each critical section before the next owner's.

#include <cassert>
#include <coroutine>
#include <mutex>
#include <utility>

#include "harness/models/coro/detail/wait_list.hpp"
#include "harness/models/coro/scheduler.hpp"

namespace concbench::coro {

template <Scheduler S>
class Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  ~Mutex() { assert(!locked_ && waiters_.empty()); }

  /// Owns a locked mutex; unlocks it when destroyed (or at unlock()).
  class [[nodiscard]] ScopedLock {
   public:
    explicit ScopedLock(Mutex& mutex) noexcept : mutex_(&mutex) {}
    ScopedLock(ScopedLock&& other) noexcept : mutex_(std::exchange(other.mutex_, nullptr)) {}
    ScopedLock& operator=(ScopedLock&& other) noexcept {
      if (this != &other) {
        unlock();
        mutex_ = std::exchange(other.mutex_, nullptr);
      }
      return *this;
    }
    ~ScopedLock() { unlock(); }
    void unlock() noexcept {
      if (mutex_ != nullptr) std::exchange(mutex_, nullptr)->unlock();
    }

   private:
    Mutex* mutex_;
  };

  class [[nodiscard]] LockAwaiter : public detail::Waiter<LockAwaiter, S> {  // its own wait-list node
   public:
    explicit LockAwaiter(Mutex& mutex) noexcept : mutex_(mutex) {}
    bool await_ready() noexcept { return mutex_.try_lock(); }
    bool await_suspend(std::coroutine_handle<> self) noexcept {
      this->handle = self;
      this->scheduler = S::current();
      std::lock_guard guard(mutex_.guard_);
      if (!mutex_.locked_) {  // unlocked since await_ready: take it and go on
        mutex_.locked_ = true;
        return false;
      }
      mutex_.waiters_.push_back(this);
      return true;  // an unlock() may resume us on another thread from here on: touch nothing of `this`
    }
    ScopedLock await_resume() const noexcept { return ScopedLock(mutex_); }

   private:
    Mutex& mutex_;
  };

  /// `co_await lock()` resumes owning the mutex, with a ScopedLock.
  LockAwaiter lock() noexcept { return LockAwaiter(*this); }

  bool try_lock() noexcept {
    std::lock_guard guard(guard_);
    if (locked_) return false;
    locked_ = true;
    return true;
  }

  void unlock() noexcept {
    LockAwaiter* next = nullptr;
    {
      std::lock_guard guard(guard_);
      assert(locked_);
      next = waiters_.pop_front();
      if (next == nullptr) locked_ = false;  // else it stays locked: ownership passes to `next`
    }
    if (next != nullptr) detail::wake(next);
  }

 private:
  typename S::Lock guard_;
  bool locked_ = false;
  detail::WaitList<LockAwaiter> waiters_;
};

}  // namespace concbench::coro
