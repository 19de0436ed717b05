#pragma once
/// The runtime deadlock detector of a `philosophers` run: a plain std::thread outside the model, started
/// with the run and stopped at its end. It reports a deadlock when every philosopher still at the table has
/// been blocked (waiting for a fork or the waiter) and no meal has completed, at every look, for `bound`.
///
/// What that proves, and what it does not (docs/workloads.md): blocked philosophers that stay blocked
/// while nobody eats can only be waiting on each other, so a report is a real deadlock, provided `bound`
/// exceeds the longest time a fork is legitimately held (a meal) plus scheduling delays. It does not prove
/// the absence of deadlock: a run that happens not to reach one says nothing of the next.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "benchmarks/philosophers/table.hpp"
#include "harness/core/deadlock.hpp"

namespace concbench::philosophers {

/// The monitor's decision, apart from its thread and clock (so tests drive it look by look): a deadlock is
/// every philosopher at the table blocked, and no meal completed, at every look for `bound`.
class StuckWatch {
 public:
  using Clock = std::chrono::steady_clock;
  explicit StuckWatch(std::chrono::milliseconds bound) : bound_(bound) {}
  /// One look at the table at time `now`; true once it has been stuck for `bound`.
  bool look(std::int64_t meals_done, int blocked, int at_table, Clock::time_point now);

 private:
  std::chrono::milliseconds bound_;
  std::int64_t last_meals_ = -1;
  Clock::time_point stuck_since_{};
  bool stuck_ = false;
};

class DeadlockMonitor {
 public:
  /// Called once when the monitor sees a deadlock; the default ends the process (core/deadlock.hpp).
  using Report = std::function<void(const DeadlockReport&)>;

  /// Starts watching `table` (which must outlive the monitor). `context` goes into the report's metrics.
  DeadlockMonitor(
      const Table& table, std::chrono::milliseconds bound, std::map<std::string, std::string> context,
      Report report = [](const DeadlockReport& report) { report_deadlock(report); });
  /// Stops watching and joins the thread.
  ~DeadlockMonitor();
  DeadlockMonitor(const DeadlockMonitor&) = delete;
  DeadlockMonitor& operator=(const DeadlockMonitor&) = delete;

 private:
  void watch();

  const Table& table_;
  std::chrono::milliseconds bound_;
  std::map<std::string, std::string> context_;
  Report report_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once everything above is set
};

}  // namespace concbench::philosophers
