#pragma once
/// `StealDeque<T>`: a Chase-Lev work-stealing deque of non-null `T*` (Chase & Lev 2005, in the C11 form of
/// Lê, Pop, Cohen & Zappa Nardelli 2013). Its owner pushes and pops at the bottom (newest first: a task's
/// children run depth first, on a warm cache); any other thread steals at the top (oldest first: the task
/// spawned earliest, in a tree the root of the largest subtree left). The coroutine pool keeps coroutine
/// frames in it (`StealDeque<void>`, a handle's address), the fiber-ws scheduler its spawner fibers.
///
/// Memory orderings. The paper's version uses relaxed accesses and fences; ThreadSanitizer does not model
/// fences (GCC 12 warns -Wtsan), so here the accesses that order things are seq_cst operations instead, which
/// also cost no more on x86 (a locked instruction either way):
///  - `bottom_` is stored seq_cst by push and pop, and loaded seq_cst by steal: a thief that sees an item also
///    sees the frame its owner wrote before pushing it (release/acquire), and pop's store of `bottom_` is
///    ordered before its load of `top_` (the store-load order the last item's race needs);
///  - `top_` only moves by a seq_cst compare-exchange (a thief taking an item, or the owner taking the last
///    one): exactly one of them wins an item;
///  - the slots are relaxed atomics: a thief may read a slot the owner is rewriting after a wrap-around, but
///    then its compare-exchange on `top_` fails and the value is dropped.
/// A full ring is replaced by one twice the size; thieves may still read the old one, so every ring lives
/// until the deque dies. The pool never shrinks a deque (its depth is a tree's depth times its fan-out).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace concbench::coro::detail {

template <class T>
class StealDeque {
 public:
  explicit StealDeque(std::size_t capacity = 256) {
    auto ring = std::make_unique<Ring>(capacity);
    ring_.store(ring.get(), std::memory_order_relaxed);
    rings_.push_back(std::move(ring));
  }
  StealDeque(const StealDeque&) = delete;
  StealDeque& operator=(const StealDeque&) = delete;

  /// Owner only. May allocate (a larger ring).
  void push(T* item) {
    const auto bottom = bottom_.load(std::memory_order_relaxed);
    const auto top = top_.load(std::memory_order_acquire);
    Ring* ring = ring_.load(std::memory_order_relaxed);
    if (bottom - top >= static_cast<std::int64_t>(ring->size)) ring = grow(ring, top, bottom);
    ring->at(bottom).store(item, std::memory_order_relaxed);
    bottom_.store(bottom + 1, std::memory_order_seq_cst);  // publishes the slot and the task's frame
  }

  /// Owner only: the newest item, or null.
  T* pop() noexcept {
    const auto bottom = bottom_.load(std::memory_order_relaxed) - 1;
    Ring* ring = ring_.load(std::memory_order_relaxed);
    bottom_.store(bottom, std::memory_order_seq_cst);  // claim it before looking at top_ (store-load order)
    auto top = top_.load(std::memory_order_seq_cst);
    if (top > bottom) {  // empty
      bottom_.store(bottom + 1, std::memory_order_relaxed);
      return nullptr;
    }
    T* item = ring->at(bottom).load(std::memory_order_relaxed);
    if (top == bottom) {
      // The last item: a thief may be taking it too; the compare-exchange on top_ decides.
      if (!top_.compare_exchange_strong(top, top + 1, std::memory_order_seq_cst, std::memory_order_relaxed)) {
        item = nullptr;
      }
      bottom_.store(bottom + 1, std::memory_order_relaxed);
    }
    return item;
  }

  /// Any thread: the oldest item, or null when the deque is empty or another thread won the race.
  T* steal() noexcept {
    auto top = top_.load(std::memory_order_seq_cst);
    const auto bottom = bottom_.load(std::memory_order_seq_cst);
    if (top >= bottom) return nullptr;
    T* item = ring_.load(std::memory_order_acquire)->at(top).load(std::memory_order_relaxed);
    if (!top_.compare_exchange_strong(top, top + 1, std::memory_order_seq_cst, std::memory_order_relaxed)) {
      return nullptr;
    }
    return item;
  }

  /// Any thread: whether there is nothing to steal (a snapshot; seq_cst for the pool's sleep handshake).
  bool empty() const noexcept {
    return top_.load(std::memory_order_seq_cst) >= bottom_.load(std::memory_order_seq_cst);
  }

 private:
  struct Ring {
    explicit Ring(std::size_t capacity) : size(capacity), slots(std::make_unique<std::atomic<T*>[]>(capacity)) {}
    std::atomic<T*>& at(std::int64_t index) noexcept { return slots[static_cast<std::size_t>(index) % size]; }
    const std::size_t size;
    std::unique_ptr<std::atomic<T*>[]> slots;
  };

  Ring* grow(Ring* ring, std::int64_t top, std::int64_t bottom) {
    auto bigger = std::make_unique<Ring>(ring->size * 2);
    for (auto i = top; i < bottom; ++i)
      bigger->at(i).store(ring->at(i).load(std::memory_order_relaxed), std::memory_order_relaxed);
    Ring* next = bigger.get();
    rings_.push_back(std::move(bigger));
    ring_.store(next, std::memory_order_release);  // a thief that reads it sees its slots
    return next;
  }

  alignas(64) std::atomic<std::int64_t> top_{0};     // thieves' end; own cache line: thieves write it
  alignas(64) std::atomic<std::int64_t> bottom_{0};  // owner's end
  std::atomic<Ring*> ring_{nullptr};
  std::vector<std::unique_ptr<Ring>> rings_;  // owner only; every ring ever used (thieves may read old ones)
};

}  // namespace concbench::coro::detail
