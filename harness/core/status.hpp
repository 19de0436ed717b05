#pragma once
/// A cell's outcome (docs/runner.md, "Watchdog and statuses"): the `status` column of results.csv.

#include <optional>
#include <string_view>

namespace concbench {

enum class Status {
  ok,           // measured and verified
  failed,       // a run's answer was wrong, or the cell threw
  unsupported,  // the model cannot run this cell sensibly (a result, with its reason)
  deadlock,     // the strategy deadlocked (a result: it can)
  timeout,      // killed by the runner's watchdog
  crashed,      // died, or ended without a result
  interrupted,  // Ctrl-C or SIGTERM while it ran
};

/// The word written in results.csv.
std::string_view to_string(Status status);
/// The status a word names; empty for anything else.
std::optional<Status> parse_status(std::string_view word);

/// A row of these has a verdict about the model, not about the harness: ok, unsupported, deadlock.
constexpr bool is_result(Status status) {
  return status == Status::ok || status == Status::unsupported || status == Status::deadlock;
}
/// Something went wrong that a user must look at: the run's exit status is 1.
constexpr bool is_broken(Status status) {
  return status == Status::failed || status == Status::crashed || status == Status::timeout;
}

}  // namespace concbench
