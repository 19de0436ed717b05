#pragma once
/// How long the calling thread has held a global lock (`gil` or `gil-legacy`): the sum of its holds since the
/// thread started, the current one included. Per OS thread, kept by the locks at take and drop; a workload
/// reads it from inside a task (models/interpreted.hpp: global_lock_held) — e.g. `convoy` reports the share
/// of each run its CPU-bound task held the lock, which is what the convoy effect is made of.

#include <chrono>

namespace concbench::gil {

class HeldTime {
 public:
  using Clock = std::chrono::steady_clock;

  /// The calling thread has had the lock since `now`.
  static void start(Clock::time_point now) noexcept {
    auto& self = state();
    self.since = now;
    self.holding = true;
  }
  /// The calling thread let the lock go at `now`.
  static void stop(Clock::time_point now) noexcept {
    auto& self = state();
    if (!self.holding) return;
    self.total += now - self.since;
    self.holding = false;
  }
  static bool holding() noexcept { return state().holding; }
  /// The calling thread's holds so far, the one in progress included.
  static std::chrono::nanoseconds of_this_thread() noexcept {
    const auto& self = state();
    const auto total = self.holding ? self.total + (Clock::now() - self.since) : self.total;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(total);
  }

 private:
  struct State {
    Clock::duration total{};
    Clock::time_point since{};
    bool holding = false;
  };
  static State& state() noexcept {
    thread_local State self;
    return self;
  }
};

}  // namespace concbench::gil
