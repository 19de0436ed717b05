#pragma once
/// `Mutex<S>`: a mutex for the tasks of scheduler S that suspends the waiting task instead of blocking its
/// thread (like asyncio.Lock or cppcoro's async_mutex).
///
///   auto lock = co_await mutex.lock();   // a ScopedLock: unlocks when it goes out of scope
///
/// Unlocking with tasks waiting hands the mutex straight to the oldest one (it stays locked and is posted to
/// its scheduler): FIFO, no barging, no thundering herd. Its state is one word: unlocked, locked, or locked
/// with waiters. An uncontended lock and unlock are one compare-and-swap each on a pool (as cppcoro's
/// async_mutex; a std::mutex guarding the state cost two lock/unlock pairs per critical section: 0.5 of the
/// std::mutex floor), plain loads and stores on one thread. Only the contended paths take S::Lock (a std::mutex
/// on a pool, nothing on one thread), which guards the waiter list; it, and the scheduler's queue a woken task
/// goes through, order each critical section before the next owner's.

#include <atomic>
#include <cassert>
#include <coroutine>
#include <cstdint>
#include <mutex>
#include <type_traits>
#include <utility>

#include "harness/models/coro/detail/single_thread_word.hpp"
#include "harness/models/coro/detail/wait_list.hpp"
#include "harness/models/coro/scheduler.hpp"

namespace concbench::coro {

template <Scheduler S>
class Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  ~Mutex() { assert(state_.load(std::memory_order_relaxed) == kUnlocked && waiters_.empty()); }

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
      this->remember(self);
      std::lock_guard guard(mutex_.guard_);
      // Either it was unlocked since await_ready (take it and go on), or mark it contended, so that the
      // owner's unlock comes to the waiter list (which this guard keeps it from reading before the push).
      auto state = mutex_.state_.load(std::memory_order_relaxed);
      for (;;) {
        const auto wanted = state == kUnlocked ? kLocked : kContended;
        if (mutex_.state_.compare_exchange_weak(state, wanted, std::memory_order_acquire, std::memory_order_relaxed)) {
          if (wanted == kLocked) return false;
          break;
        }
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
    auto expected = kUnlocked;
    return state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire, std::memory_order_relaxed);
  }

  void unlock() noexcept {
    auto expected = kLocked;
    if (state_.compare_exchange_strong(expected, kUnlocked, std::memory_order_release, std::memory_order_relaxed)) {
      return;  // nobody waits
    }
    LockAwaiter* next = nullptr;
    {
      std::lock_guard guard(guard_);
      assert(state_.load(std::memory_order_relaxed) == kContended);
      next = waiters_.pop_front();
      assert(next != nullptr && "contended means a waiter is queued, or about to be under the guard");
      // It stays locked: ownership passes to `next`, and it stays contended while others wait.
      if (waiters_.empty()) state_.store(kLocked, std::memory_order_relaxed);
    }
    detail::wake(next);
  }

 private:
  using State = std::uint8_t;
  static constexpr State kUnlocked = 0;
  static constexpr State kLocked = 1;
  static constexpr State kContended = 2;  // locked, and the waiter list is (or is about to be) not empty

  /// On one thread a plain word: the compare-and-swaps above compile to loads and stores (SingleThreadWord).
  using Word = std::conditional_t<S::kMultiThreaded, std::atomic<State>, detail::SingleThreadWord<State>>;

  Word state_{kUnlocked};
  typename S::Lock guard_;
  detail::WaitList<LockAwaiter> waiters_;
};

}  // namespace concbench::coro
