#pragma once
/// `SingleThreadWord<T>`: std::atomic<T>'s interface over a plain T, for a primitive's state word on a
/// scheduler whose tasks all run on one thread (Scheduler::kMultiThreaded false): one algorithm serves both
/// kinds of scheduler, and on one thread its compare-and-swaps are a compare and a store, no locked instruction.

#include <atomic>

namespace concbench::coro::detail {

template <class T>
class SingleThreadWord {
 public:
  constexpr explicit SingleThreadWord(T value) noexcept : value_(value) {}
  T load(std::memory_order /*order*/) const noexcept { return value_; }
  void store(T value, std::memory_order /*order*/) noexcept { value_ = value; }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order /*success*/,
                               std::memory_order /*failure*/) noexcept {
    if (value_ != expected) {
      expected = value_;
      return false;
    }
    value_ = desired;
    return true;
  }
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success, std::memory_order failure) noexcept {
    return compare_exchange_strong(expected, desired, success, failure);
  }

 private:
  T value_;
};

}  // namespace concbench::coro::detail
