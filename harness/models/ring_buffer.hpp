#pragma once
/// The bounded FIFO both kinds of channel keep their items in (models/blocking_channel.hpp, models/coro/channel.hpp):
/// a ring of exactly `capacity` slots. The channel guards it and decides who waits; the ring only holds.

#include <cassert>
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

namespace concbench {

template <class T>
class RingBuffer {
 public:
  /// Throws std::invalid_argument for a capacity of 0 (a channel's capacity is at least 1).
  explicit RingBuffer(std::size_t capacity) : capacity_(capacity) {
    if (capacity_ == 0) throw std::invalid_argument("channel capacity must be at least 1");
    slots_ = std::make_unique<std::optional<T>[]>(capacity_);
  }

  bool empty() const noexcept { return count_ == 0; }
  bool full() const noexcept { return count_ == capacity_; }

  /// Adds `item` after the newest; the ring must not be full.
  void push(T&& item) {
    assert(!full());
    slots_[(head_ + count_) % capacity_].emplace(std::move(item));
    ++count_;
  }
  /// Takes the oldest item out; the ring must not be empty.
  T pop() {
    assert(!empty());
    T item = std::move(*slots_[head_]);
    slots_[head_].reset();
    head_ = (head_ + 1) % capacity_;
    --count_;
    return item;
  }

 private:
  const std::size_t capacity_;
  std::unique_ptr<std::optional<T>[]> slots_;
  std::size_t head_ = 0;   // oldest item
  std::size_t count_ = 0;  // items held
};

}  // namespace concbench
