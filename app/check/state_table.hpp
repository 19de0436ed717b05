#pragma once
/// The explorer's visited set: state -> dense id, open addressing with linear probing. Millions of states
/// in one flat array, key beside id so a probe touches one cache line (std::unordered_map would spend a
/// node allocation on each).

#include <cstdint>
#include <limits>
#include <vector>

#include "app/check/protocol.hpp"

namespace concbench::check {

class StateTable {
 public:
  static constexpr std::uint32_t kAbsent = std::numeric_limits<std::uint32_t>::max();

  StateTable() { rehash(std::size_t{1} << 16); }

  /// The id of `state`, or kAbsent.
  std::uint32_t find(State state) const {
    for (std::size_t slot = home(state);; slot = (slot + 1) & mask_) {
      if (slots_[slot].id == kAbsent) return kAbsent;
      if (slots_[slot].key == state) return slots_[slot].id;
    }
  }

  /// Gives `state` the id `id` unless it has one already; returns its id (`id` when it was new).
  std::uint32_t insert(State state, std::uint32_t id) {
    if (2 * (size_ + 1) > slots_.size()) rehash(2 * slots_.size());  // load at most 1/2: short probes
    std::size_t slot = home(state);
    for (; slots_[slot].id != kAbsent; slot = (slot + 1) & mask_) {
      if (slots_[slot].key == state) return slots_[slot].id;
    }
    slots_[slot] = {state, id};
    ++size_;
    return id;
  }

  std::size_t size() const { return size_; }

 private:
  std::size_t home(State state) const {
    // A 64-bit multiplicative hash (Fibonacci hashing): packed states differ in few, low bits.
    return static_cast<std::size_t>((state * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void rehash(std::size_t capacity) {
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    mask_ = capacity - 1;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    size_ = 0;
    for (const Slot& slot : old) {
      if (slot.id != kAbsent) insert(slot.key, slot.id);
    }
  }

  struct Slot {
    State key = 0;
    std::uint32_t id = kAbsent;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace concbench::check
