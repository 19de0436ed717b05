#pragma once
/// CPython 3.2+'s global interpreter lock, as in `Python/ceval_gil.c` (take_gil / drop_gil with
/// FORCE_SWITCHING), so the `gil` model schedules threads the way the real interpreter does.
///
/// A thread that wants the lock waits at most one switch interval at a time; if the holder has not
/// switched meanwhile, it sets the drop request (CPython's eval breaker). The holder sees the request at
/// its next checkpoint, drops the lock, and — forced switching — waits until another thread has taken it,
/// so it cannot take it straight back. Blocking calls drop the lock before and take it after.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "harness/models/gil/gil_stats.hpp"
#include "harness/models/gil/settings.hpp"

namespace concbench::gil {

class GilLock {
 public:
  explicit GilLock(std::chrono::microseconds interval) : interval_(interval) {}
  explicit GilLock(const Settings& settings) : GilLock(settings.interval) {}

  /// Blocks until the calling thread holds the lock (CPython's take_gil).
  void take();
  /// Releases the lock; if a drop was requested, waits until another thread took it (drop_gil).
  void drop();
  /// The eval-breaker check between two ticks: drop and take again when a drop was requested.
  void checkpoint() {
    // Relaxed, as CPython's _Py_atomic_load_relaxed(&eval_breaker): a late view only delays the switch
    // by one tick; the drop itself synchronises through the mutexes.
    if (drop_request_.load(std::memory_order_relaxed)) {
      stats_.count_forced_drop();
      drop();
      take();
    }
  }

  std::chrono::microseconds interval() const { return interval_; }
  const GilStats& stats() const { return stats_; }
  GilStats& stats() { return stats_; }
  /// The row's metrics of the lock: its counters (GilStats::metrics).
  std::map<std::string, std::string> metrics() const { return stats_.metrics(); }

 private:
  /// Identifies a thread without std::thread::id comparisons on the hot path.
  static const void* self();

  const std::chrono::microseconds interval_;
  std::mutex mutex_;  // CPython: gil->mutex, guards locked_ and switch_number_
  std::condition_variable cond_;
  std::mutex switch_mutex_;  // CPython: gil->switch_mutex, guards last_holder_ changes for forced switching
  std::condition_variable switch_cond_;
  bool locked_ = false;
  std::uint64_t switch_number_ = 0;
  // Written under switch_mutex_ (take) or by the holder alone (drop); read by the dropper under
  // switch_mutex_. Atomic so the drop's unlocked store and take's locked read do not race.
  std::atomic<const void*> last_holder_{nullptr};
  std::atomic<bool> drop_request_{false};
  GilStats stats_;
};

}  // namespace concbench::gil
