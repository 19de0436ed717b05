#pragma once
/// The `tbb` model's channel: a tbb::concurrent_bounded_queue with capacity `capacity`.
///
/// Blocking push/pop block the TBB worker thread (not just the task): with more producers + consumers than
/// arena threads, the tasks that would unblock them may never get a thread, and the cell deadlocks
/// (TRAPS.md). Workloads cap producers + consumers at N for `tbb`, or report the cell unsupported.
///
/// close(): concurrent_bounded_queue can only wake a blocked pop with abort(), which misses a pop that is
/// about to start waiting. So close() sends an end marker through the queue behind the items already sent;
/// a receiver that takes it puts it back for the others and returns std::nullopt. Consequence: close() waits
/// for a free slot when the queue is full, like a send.

#include <atomic>
#include <cstddef>
#include <optional>
#include <stdexcept>

#include <oneapi/tbb/concurrent_queue.h>

#include "harness/models/tbb.hpp"

namespace concbench {

template <class T>
class TbbChannel {
 public:
  explicit TbbChannel(std::size_t capacity) {
    if (capacity == 0) throw std::invalid_argument("channel capacity must be at least 1");
    queue_.set_capacity(static_cast<std::ptrdiff_t>(capacity));
  }
  TbbChannel(const TbbChannel&) = delete;
  TbbChannel& operator=(const TbbChannel&) = delete;

  void send(T item) {
    // Acquire pairs with close(): a send that starts after close() returned sees it.
    if (closed_.load(std::memory_order_acquire)) throw std::logic_error("send on a closed channel");
    queue_.push(std::optional<T>(std::move(item)));
  }

  std::optional<T> receive() {
    std::optional<T> item;
    queue_.pop(item);
    if (!item)
      queue_.push(std::optional<T>());  // the end marker, back for the next receiver (there is room: no
                                        // sends after close, and we just took one slot)
    return item;
  }

  void close() {
    if (closed_.exchange(true, std::memory_order_acq_rel)) return;  // already closed: one marker is enough
    queue_.push(std::optional<T>());
  }

 private:
  oneapi::tbb::concurrent_bounded_queue<std::optional<T>> queue_;
  std::atomic<bool> closed_{false};
};

}  // namespace concbench
