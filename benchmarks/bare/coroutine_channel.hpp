#pragma once
/// The floors' coroutine channel (`bare`, models/bare.hpp; prodcons' coroutine-channel): the least a bounded
/// channel between C++20 coroutines of one thread needs, hand-written, not the models' coro::Channel. No lock
/// (one thread), no allocation after construction: a ring of `capacity` items, FIFO lists of the waiting
/// senders and receivers threaded through their awaiters, and a ready queue that one loop resumes in turn.
///  - `co_await send(item)`: hands the item to the oldest waiting receiver (and readies it), or puts it in the
///    ring; suspends only when the ring is full, until a receiver takes the item.
///  - `co_await receive()`: takes the oldest item (and moves the oldest waiting sender's item into the freed
///    slot, readying that sender); suspends only when the ring is empty and the channel open. std::nullopt
///    once closed and drained.
///  - `close()`: readies every waiting receiver, which gets std::nullopt. Close after every send has returned.
/// A task that does not suspend keeps running: no scheduler round trip where none is needed.

#include <coroutine>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "harness/models/coro/resume.hpp"

namespace concbench::bare {

/// A FIFO of at most `capacity` items in one allocation (made up front).
template <class T>
class Ring {
 public:
  explicit Ring(std::size_t capacity) : slots_(capacity) {}
  bool empty() const noexcept { return count_ == 0; }
  bool full() const noexcept { return count_ == slots_.size(); }
  void push(T item) noexcept {
    auto at = head_ + count_++;
    if (at >= slots_.size()) at -= slots_.size();
    slots_[at] = std::move(item);
  }
  T pop() noexcept {
    T item = std::move(slots_[head_]);
    if (++head_ == slots_.size()) head_ = 0;
    --count_;
    return item;
  }

 private:
  std::vector<T> slots_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

/// One thread's ready coroutines, resumed first in, first out by run(). Holds at most `capacity` (each task is
/// in it at most once).
class ReadyQueue {
 public:
  explicit ReadyQueue(std::size_t capacity) : ready_(capacity) {}
  void push(std::coroutine_handle<> ready) noexcept { ready_.push(ready); }
  /// Resumes ready coroutines until none is left (every task ended or waits for something that never comes).
  void run() noexcept {
    while (!ready_.empty()) coro::resume(ready_.pop());
  }

 private:
  Ring<std::coroutine_handle<>> ready_;
};

/// A FIFO of waiting awaiters, linked through their `next` (the channel's senders and receivers, a mutex's lockers).
template <class Waiter>
struct WaitList {
  Waiter* head = nullptr;
  Waiter* tail = nullptr;
  bool empty() const noexcept { return head == nullptr; }
  void push(Waiter* waiter) noexcept {
    waiter->next = nullptr;
    (tail != nullptr ? tail->next : head) = waiter;
    tail = waiter;
  }
  Waiter* pop() noexcept {
    auto* waiter = head;
    head = waiter->next;
    if (head == nullptr) tail = nullptr;
    return waiter;
  }
};

template <class T>
class Channel {
 public:
  class [[nodiscard]] Send {
   public:
    Send(Channel& channel, T item) noexcept : channel_(channel), item_(std::move(item)) {}
    bool await_ready() noexcept { return channel_.try_send(item_); }
    void await_suspend(std::coroutine_handle<> self) noexcept {
      handle_ = self;
      channel_.senders_.push(this);
    }
    void await_resume() const noexcept {}

   private:
    friend class Channel;
    Channel& channel_;
    T item_;
    std::coroutine_handle<> handle_;
    Send* next = nullptr;
    friend struct WaitList<Send>;
  };

  class [[nodiscard]] Receive {
   public:
    explicit Receive(Channel& channel) noexcept : channel_(channel) {}
    bool await_ready() noexcept { return channel_.try_receive(item_); }
    void await_suspend(std::coroutine_handle<> self) noexcept {
      handle_ = self;
      channel_.receivers_.push(this);
    }
    std::optional<T> await_resume() noexcept { return std::move(item_); }

   private:
    friend class Channel;
    Channel& channel_;
    std::optional<T> item_;  // a waiting receiver's is filled by the sender that readies it
    std::coroutine_handle<> handle_;
    Receive* next = nullptr;
    friend struct WaitList<Receive>;
  };

  Channel(std::size_t capacity, ReadyQueue& ready) : ring_(capacity), ready_(ready) {}
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  Send send(T item) noexcept { return Send(*this, std::move(item)); }
  Receive receive() noexcept { return Receive(*this); }

  void close() noexcept {
    closed_ = true;
    while (!receivers_.empty()) ready_.push(receivers_.pop()->handle_);  // an empty ring: they get nullopt
  }

 private:
  /// Whether the item went in (to a waiting receiver or the ring) without waiting.
  bool try_send(T& item) noexcept {
    if (!receivers_.empty()) {  // they wait only on an empty ring: nobody overtakes
      auto* receiver = receivers_.pop();
      receiver->item_.emplace(std::move(item));
      ready_.push(receiver->handle_);
      return true;
    }
    if (ring_.full()) return false;
    ring_.push(std::move(item));
    return true;
  }

  /// Whether the receive is over without waiting: an item taken, or closed and drained (`item` left empty).
  bool try_receive(std::optional<T>& item) noexcept {
    if (ring_.empty()) return closed_;
    item.emplace(ring_.pop());
    if (!senders_.empty()) {  // the freed slot goes to the oldest waiting sender's item
      auto* sender = senders_.pop();
      ring_.push(std::move(sender->item_));
      ready_.push(sender->handle_);
    }
    return true;
  }

  Ring<T> ring_;
  bool closed_ = false;
  ReadyQueue& ready_;
  WaitList<Send> senders_;
  WaitList<Receive> receivers_;
};

}  // namespace concbench::bare
