#include "benchmarks/philosophers/deadlock_monitor.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace concbench::philosophers {

DeadlockMonitor::DeadlockMonitor(const Table& table, std::chrono::milliseconds bound,
                                 std::map<std::string, std::string> context, Report report)
    : table_(table), bound_(bound), context_(std::move(context)), report_(std::move(report)), thread_([this] {
        watch();
      }) {}

DeadlockMonitor::~DeadlockMonitor() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool StuckWatch::look(std::int64_t meals_done, int blocked, int at_table, Clock::time_point now) {
  const bool all_blocked = at_table > 0 && blocked >= at_table;
  if (!all_blocked || meals_done != last_meals_) {
    stuck_ = false;  // progress, or someone free to make it: start over
    last_meals_ = meals_done;
    return false;
  }
  if (!stuck_) {
    stuck_ = true;
    stuck_since_ = now;
    return false;
  }
  return now - stuck_since_ >= bound_;
}

void DeadlockMonitor::watch() {
  using Clock = StuckWatch::Clock;
  // Twenty looks per bound (at least 1 ms apart): the report comes within 1.05 × bound of the deadlock, and
  // the watch costs nothing measurable beside the run.
  const auto interval = std::max<Clock::duration>(bound_ / 20, std::chrono::milliseconds(1));
  StuckWatch stuck(bound_);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval, [this] { return stop_; })) {
    const auto meals = table_.meals_done();
    const auto blocked = table_.blocked();
    const auto at_table = table_.at_table();
    if (!stuck.look(meals, blocked, at_table, Clock::now())) continue;
    DeadlockReport report;
    report.reason =
        fmt::format("no meal for {} ms while all {} philosophers at the table were blocked (on a fork or the waiter)",
                    bound_.count(), at_table);
    report.metrics = context_;
    report.metrics["meals_done"] = std::to_string(meals);
    report.metrics["blocked"] = std::to_string(blocked);
    report.metrics["deadlock_ms"] = std::to_string(bound_.count());
    lock.unlock();
    report_(report);  // by default never returns; a test's report does, and the watch ends
    return;
  }
}

}  // namespace concbench::philosophers
