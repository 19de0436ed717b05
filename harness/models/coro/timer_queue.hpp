#pragma once
/// `TimerQueue`: the coroutines waiting in a blocking wait, earliest deadline first (a binary heap, as in
/// asyncio's loop). Not synchronised: the pool guards it with its own mutex.

#include <coroutine>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "harness/models/coro/scheduler.hpp"

namespace concbench::coro {

class TimerQueue {
 public:
  bool empty() const noexcept { return heap_.empty(); }
  /// Precondition: !empty().
  Clock::time_point next_deadline() const noexcept { return heap_.top().deadline; }

  void push(Clock::time_point deadline, std::coroutine_handle<> handle) {
    heap_.push(Timer{deadline, next_sequence_++, handle});
  }

  /// Calls `ready(handle)` for every timer due at `now`, earliest first; returns how many.
  template <class Ready>
  std::size_t pop_due(Clock::time_point now, Ready&& ready) {
    std::size_t count = 0;
    while (!heap_.empty() && heap_.top().deadline <= now) {
      const auto handle = heap_.top().handle;
      heap_.pop();
      ready(handle);
      ++count;
    }
    return count;
  }

 private:
  struct Timer {
    Clock::time_point deadline;
    std::uint64_t sequence;  // equal deadlines leave in the order they were set (the heap alone is unstable)
    std::coroutine_handle<> handle;

    bool operator>(const Timer& other) const noexcept {
      return deadline != other.deadline ? deadline > other.deadline : sequence > other.sequence;
    }
  };

  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace concbench::coro
