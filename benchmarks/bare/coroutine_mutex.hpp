#pragma once
/// The floors' coroutine mutex (`bare`, models/bare.hpp; counter's coroutine-mutex): the least a mutex between
/// C++20 coroutines that may run on several threads needs, hand-written, not the models' coro::Mutex. One
/// atomic word: an uncontended lock is one compare-and-swap, an unlock one more (as cppcoro's async_mutex). The
/// floor's loop runs its tasks on one thread, one after another: nobody ever waits, so the wait path is the
/// least that keeps it correct on that thread — the waiters' FIFO, each readied through the loop's ReadyQueue
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
    if (!waiters_.empty()) {
      ready_.push(waiters_.pop()->handle_);  // it stays locked: ownership passes to the oldest waiter
      return;
    }
    locked_.store(false, std::memory_order_release);
  }

 private:
  bool try_lock() noexcept {
    bool expected = false;
    return locked_.compare_exchange_strong(expected, true, std::memory_order_acquire, std::memory_order_relaxed);
  }

  std::atomic<bool> locked_{false};
  ReadyQueue& ready_;
  WaitList<Lock> waiters_;
};

}  // namespace concbench::bare
