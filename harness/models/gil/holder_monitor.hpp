#pragma once
/// The global lock's invariant, watched: at most one thread runs Python-level work (holds the lock) at a time.
/// Each lock calls `enter` right after it has the lock and `leave` right before it lets go; a second holder is
/// seen when it enters over the first, or when the first leaves and finds another thread marked as holder
/// (two entering at once overwrite each other's mark, and the loser's leave sees it). A correct lock never
/// counts one; a broken one, letting two in, counts its overlaps (`holder_overlaps`), and the model fails the
/// cell (global_lock_model.cpp).
///
/// Plain relaxed loads and stores on the hot path (an RMW per take and drop would cost the legacy lock's
/// cheap re-acquire a few per cent); only an overlap pays an RMW. The lock's own synchronisation orders one
/// holder's `leave` before the next one's `enter`.

#include <atomic>
#include <cstdint>

namespace concbench::gil {

class HolderMonitor {
 public:
  void enter(const void* thread) {
    if (holder_.load(std::memory_order_relaxed) != nullptr) count_overlap();
    holder_.store(thread, std::memory_order_relaxed);
  }
  void leave(const void* thread) {
    if (holder_.load(std::memory_order_relaxed) != thread) count_overlap();
    holder_.store(nullptr, std::memory_order_relaxed);
  }
  std::uint64_t overlaps() const { return overlaps_.load(std::memory_order_relaxed); }

 private:
  void count_overlap() { overlaps_.fetch_add(1, std::memory_order_relaxed); }

  std::atomic<const void*> holder_{nullptr};
  std::atomic<std::uint64_t> overlaps_{0};
};

}  // namespace concbench::gil
