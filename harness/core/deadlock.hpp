#pragma once
/// How a workload ends its cell when its monitor has proven a deadlock (`status=deadlock`).
///
/// Deadlocked tasks can never be joined (threads blocked on a mutex forever, fibers or coroutines suspended
/// with nothing left to wake them), so a cell cannot return normally: the monitor — any thread, typically one
/// outside the model — calls `report_deadlock`, and the installed handler writes the cell's row and ends the
/// process at once. The runner's watchdog stays the last line of defence, not the detector.

#include <map>
#include <string>

namespace concbench {

struct DeadlockReport {
  std::string reason;                          // what the monitor saw, e.g. "no meal for 200 ms, all 5 blocked"
  std::map<std::string, std::string> metrics;  // figures for the row's metrics column
};

using DeadlockHandler = void (*)(const DeadlockReport& report);

/// Exit status of a process that reported a deadlock without a handler (a test binary, a tool).
inline constexpr int kDeadlockExitCode = 3;

/// Installs the process's handler (the cell child does, before it builds the cell). The handler must not
/// return: it ends the process.
void set_deadlock_handler(DeadlockHandler handler);

/// Ends the process through the installed handler; without one, prints the reason to stderr and exits with
/// kDeadlockExitCode (std::_Exit: the deadlocked threads are neither joined nor destroyed).
[[noreturn]] void report_deadlock(const DeadlockReport& report);

}  // namespace concbench
