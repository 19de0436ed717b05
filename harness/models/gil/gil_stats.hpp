#pragma once
/// Counters of a global lock, for the row's metrics: switches, forced and voluntary drops, waits.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "harness/models/gil/holder_monitor.hpp"

namespace concbench::gil {

class GilStats {
 public:
  // Relaxed throughout: these are tallies read once after every thread has been joined.
  void count_switch() { switches_.fetch_add(1, std::memory_order_relaxed); }
  void count_forced_drop() { forced_drops_.fetch_add(1, std::memory_order_relaxed); }
  void count_voluntary_drop() { voluntary_drops_.fetch_add(1, std::memory_order_relaxed); }
  void count_take(std::chrono::nanoseconds waited) {
    takes_.fetch_add(1, std::memory_order_relaxed);
    wait_ns_.fetch_add(static_cast<std::uint64_t>(waited.count()), std::memory_order_relaxed);
  }
  /// Time the lock was in use by a fork-join of tasks (the base of the per-second rates).
  void add_active(std::chrono::nanoseconds active) {
    active_ns_.fetch_add(static_cast<std::uint64_t>(active.count()), std::memory_order_relaxed);
  }

  std::uint64_t switches() const { return switches_.load(std::memory_order_relaxed); }
  std::uint64_t forced_drops() const { return forced_drops_.load(std::memory_order_relaxed); }
  std::uint64_t voluntary_drops() const { return voluntary_drops_.load(std::memory_order_relaxed); }
  std::uint64_t takes() const { return takes_.load(std::memory_order_relaxed); }

  /// At most one holder at a time (holder_monitor.hpp): the locks enter and leave it.
  HolderMonitor& holders() { return holders_; }
  const HolderMonitor& holders() const { return holders_; }

  /// `gil_switches_per_s`, `forced_drops`, `voluntary_drops`, `mean_wait_us` (per take), `takes`,
  /// `holder_overlaps` (0 unless the lock let two threads in).
  std::map<std::string, std::string> metrics() const;

 private:
  std::atomic<std::uint64_t> switches_{0};
  std::atomic<std::uint64_t> forced_drops_{0};
  std::atomic<std::uint64_t> voluntary_drops_{0};
  std::atomic<std::uint64_t> takes_{0};
  std::atomic<std::uint64_t> wait_ns_{0};
  std::atomic<std::uint64_t> active_ns_{0};
  HolderMonitor holders_;
};

}  // namespace concbench::gil
