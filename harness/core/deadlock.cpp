#include "harness/core/deadlock.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include <unistd.h>

namespace concbench {
namespace {
std::atomic<DeadlockHandler> installed_handler{nullptr};
std::atomic_flag reported = ATOMIC_FLAG_INIT;
}  // namespace

void set_deadlock_handler(DeadlockHandler handler) { installed_handler.store(handler); }

void report_deadlock(const DeadlockReport& report) {
  // Only the first report ends the process: a second monitor (or thread) that sees the same deadlock waits
  // for the first to finish writing the row.
  if (reported.test_and_set()) {
    for (;;) ::pause();
  }
  if (const auto handler = installed_handler.load()) handler(report);
  std::fprintf(stderr, "deadlock: %s\n", report.reason.c_str());
  std::_Exit(kDeadlockExitCode);
}

}  // namespace concbench
