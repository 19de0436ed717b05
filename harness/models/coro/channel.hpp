#pragma once
/// `Channel<T, S>`: a bounded FIFO channel for the tasks of scheduler S whose send and receive suspend the task
/// instead of blocking its thread. The semantics are those of the stackful models' channels (`BoundedChannel`
/// in models/model.hpp), as awaitables:
///  - `co_await send(item)` suspends while the channel holds `capacity` items; sending on a closed channel
///    throws std::logic_error (a sender still waiting when the channel closes too). Close only after every
///    send has returned, as in Go.
///  - `co_await receive()` suspends while the channel is empty and open; gives std::nullopt once it is closed
///    and drained.
///  - `close()` wakes every waiting receiver; items already sent are still delivered.
/// Items are handed over directly where possible: a send finding a waiting receiver moves the item into the
/// receiver's awaiter, and a receive that frees a slot moves the oldest waiting sender's item into it. So the
/// order of one sender's items is kept, and a woken task never has to race for the item it was woken for.
/// The state is guarded by S::Lock (see mutex.hpp for why that, with the scheduler's queue, is enough).
/// The channel must outlive every task that uses it (destroy it after the join).

#include <cassert>
#include <coroutine>
#include <cstddef>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include "harness/models/coro/detail/wait_list.hpp"
#include "harness/models/coro/scheduler.hpp"
#include "harness/models/ring_buffer.hpp"

namespace concbench::coro {

template <class T, Scheduler S>
class Channel {
 public:
  explicit Channel(std::size_t capacity) : items_(capacity) {}
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;
  ~Channel() { assert(senders_.empty() && receivers_.empty()); }

  class [[nodiscard]] ReceiveAwaiter;

  class [[nodiscard]] SendAwaiter : public detail::Waiter<SendAwaiter, S> {  // its own wait-list node
   public:
    SendAwaiter(Channel& channel, T item) : channel_(channel), item_(std::move(item)) {}
    bool await_ready() const noexcept { return false; }  // every case is decided under the lock, below
    bool await_suspend(std::coroutine_handle<> self) {
      this->remember(self);
      ReceiveAwaiter* receiver = nullptr;
      {
        std::lock_guard guard(channel_.guard_);
        if (channel_.closed_) return false;  // await_resume throws
        receiver = channel_.receivers_.pop_front();
        if (receiver == nullptr) {
          if (!channel_.items_.full()) {
            channel_.items_.push(std::move(item_));
            sent_ = true;
            return false;
          }
          channel_.senders_.push_back(this);
          return true;  // a receiver or close() may resume us on another thread from here on: touch nothing
        }
        receiver->item_.emplace(std::move(item_));  // a waiting receiver means an empty buffer: no one overtakes
      }
      sent_ = true;
      detail::wake(receiver);
      return false;
    }
    void await_resume() const {
      if (!sent_) throw std::logic_error("send on a closed channel");
    }

   private:
    friend class Channel;
    Channel& channel_;
    T item_;
    bool sent_ = false;  // whether the item went in; for a waiting sender, set by the receiver that took it
  };

  class [[nodiscard]] ReceiveAwaiter : public detail::Waiter<ReceiveAwaiter, S> {  // its own wait-list node
   public:
    explicit ReceiveAwaiter(Channel& channel) noexcept : channel_(channel) {}
    bool await_ready() const noexcept { return false; }  // every case is decided under the lock, below
    bool await_suspend(std::coroutine_handle<> self) {
      this->remember(self);
      SendAwaiter* sender = nullptr;
      {
        std::lock_guard guard(channel_.guard_);
        if (channel_.items_.empty()) {
          if (channel_.closed_) return false;  // closed and drained: item_ stays empty
          channel_.receivers_.push_back(this);
          return true;  // a sender or close() may resume us on another thread from here on: touch nothing
        }
        item_.emplace(channel_.items_.pop());
        sender = channel_.senders_.pop_front();  // a slot is free: the oldest waiting sender's item takes it
        if (sender == nullptr) return false;
        channel_.items_.push(std::move(sender->item_));
        sender->sent_ = true;
      }
      detail::wake(sender);
      return false;
    }
    std::optional<T> await_resume() { return std::move(item_); }

   private:
    friend class Channel;
    Channel& channel_;
    std::optional<T> item_;  // for a waiting receiver, filled by a sender (or left empty by close())
  };

  SendAwaiter send(T item) { return SendAwaiter(*this, std::move(item)); }
  ReceiveAwaiter receive() noexcept { return ReceiveAwaiter(*this); }

  void close() noexcept {
    ReceiveAwaiter* receivers = nullptr;
    SendAwaiter* senders = nullptr;
    {
      std::lock_guard guard(guard_);
      if (closed_) return;
      closed_ = true;
      receivers = receivers_.take_all();  // only ever waiting on an empty buffer: they get nullopt
      senders = senders_.take_all();      // their items were never taken (sent_ stays false): they throw
    }
    detail::wake_all(receivers);
    detail::wake_all(senders);
  }

 private:
  typename S::Lock guard_;
  RingBuffer<T> items_;
  bool closed_ = false;
  detail::WaitList<SendAwaiter> senders_;       // waiting only while the buffer is full
  detail::WaitList<ReceiveAwaiter> receivers_;  // waiting only while the buffer is empty
};

}  // namespace concbench::coro
