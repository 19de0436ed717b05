#pragma once
/// The bounded channel of the lock-based models: one ring buffer guarded by the model's own mutex, with two
/// condition variables (not full / not empty). `thread` instantiates it on std::mutex, `fiber` and `fiber-ws`
/// on Boost.Fiber's mutex and condition variable (which suspend the fiber, not the thread), `sequential` on
/// primitives whose wait throws DeadlockError. The semantics are those of `BoundedChannel` (model.hpp): it
/// holds exactly `capacity` items on every model that uses it.

#include <cstddef>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "harness/models/ring_buffer.hpp"

namespace concbench {

/// `Mutex` is Lockable; `CondVar` has wait(std::unique_lock<Mutex>&) (spurious wake-ups allowed),
/// notify_one() and notify_all().
template <class T, class Mutex, class CondVar>
class BlockingChannel {
 public:
  explicit BlockingChannel(std::size_t capacity) : items_(capacity) {}
  BlockingChannel(const BlockingChannel&) = delete;
  BlockingChannel& operator=(const BlockingChannel&) = delete;

  void send(T item) {
    {
      std::unique_lock lock(mutex_);
      while (items_.full() && !closed_) not_full_.wait(lock);
      if (closed_) throw std::logic_error("send on a closed channel");
      items_.push(std::move(item));
    }
    // Notified after unlocking, so the woken receiver does not block at once on the mutex we hold. The
    // channel outlives its tasks (joined before it is destroyed), so touching it after unlocking is safe.
    not_empty_.notify_one();
  }

  std::optional<T> receive() {
    std::optional<T> item;
    {
      std::unique_lock lock(mutex_);
      while (items_.empty() && !closed_) not_empty_.wait(lock);
      if (items_.empty()) return std::nullopt;  // closed and drained
      item.emplace(items_.pop());
    }
    not_full_.notify_one();
    return item;
  }

  void close() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();  // blocked senders wake and throw: they sent after close
  }

 private:
  RingBuffer<T> items_;
  bool closed_ = false;
  Mutex mutex_;
  CondVar not_full_;
  CondVar not_empty_;
};

}  // namespace concbench
