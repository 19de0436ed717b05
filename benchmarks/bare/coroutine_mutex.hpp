#pragma once
/// The floors' coroutine mutex (`bare`, models/bare.hpp; counter's coroutine-mutex): the least a mutex between
/// C++20 coroutines that may run on several threads needs, hand-written, not the models' coro::Mutex. One
/// atomic word — unlocked, locked, or locked with waiters — so an uncontended lock is one compare-and-swap and
/// an unlock one more (as cppcoro's async_mutex; a plain store could not tell that a waiter queued meanwhile).
/// The floor's loop runs its tasks on one thread, one after another: nobody ever waits there, so the waiters'
/// FIFO is the least that keeps it correct on that thread, each readied through the loop's ReadyQueue
/// (bare/coroutine_channel.hpp) when the mutex passes to it.

#include <atomic>
#include <coroutine>

#include "benchmarks/bare/coroutine_channel.hpp"

namespace concbench::bare {

class CoroutineMutex {
 public:
  class [[nodiscard]] Lock {
   public:
    explicit Lock(CoroutineMutex& mutex) noexcept : mutex_(mutex) {}
    bool await_ready() noexcept { return mutex_.try_lock(); }
    void await_suspend(std::coroutine_handle<> self) noexcept {
      handle_ = self;
      mutex_.state_.store(kContended, std::memory_order_relaxed);  // one thread: nobody changed it since
      mutex_.waiters_.push(this);
    }
    void await_resume() const noexcept {}

   private:
    friend class CoroutineMutex;
    friend struct WaitList<Lock>;
    CoroutineMutex& mutex_;
    std::coroutine_handle<> handle_;
    Lock* next = nullptr;
  };

  explicit CoroutineMutex(ReadyQueue& ready) noexcept : ready_(ready) {}

  /// `co_await lock()` resumes owning the mutex; unlock() with unlock().
  Lock lock() noexcept { return Lock(*this); }

  void unlock() noexcept {
    auto expected = kLocked;
    if (state_.compare_exchange_strong(expected, kUnlocked, std::memory_order_release, std::memory_order_relaxed)) {
      return;  // nobody waits
    }
    ready_.push(waiters_.pop()->handle_);  // it stays locked: ownership passes to the oldest waiter
    if (waiters_.empty()) state_.store(kLocked, std::memory_order_relaxed);
  }

 private:
  static constexpr int kUnlocked = 0;
  static constexpr int kLocked = 1;
  static constexpr int kContended = 2;

  bool try_lock() noexcept {
    auto expected = kUnlocked;
    return state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire, std::memory_order_relaxed);
  }

  std::atomic<int> state_{kUnlocked};
  ReadyQueue& ready_;
  WaitList<Lock> waiters_;
};

}  // namespace concbench::bare
