#pragma once
/// Runs one cell's child process (fork + exec of this binary) under a watchdog, without threads:
/// one poll() over the result pipe, a pidfd and the interrupt pipe.

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace concbench {

struct ChildOutcome {
  enum class End { exited, signaled, timed_out, interrupted, failed_to_start };
  End end = End::exited;
  int code = 0;        // exit code (exited) or signal number (signaled)
  std::string output;  // everything the child wrote to its result pipe
  rusage usage{};      // of the child alone (wait4), so max RSS is its own
  std::string error;   // for failed_to_start
};

/// Starts `argv` (argv[0] is the executable path) with its result pipe on fd 3 and stdout/stderr into
/// `log_path`, then waits until it exits, `timeout` passes (killed: timed_out) or `interrupt_fd` becomes
/// readable (killed: interrupted). The child gets its own process group, so a terminal's Ctrl-C reaches
/// only the parent, which then ends the child itself.
ChildOutcome run_child(const std::vector<std::string>& argv, const std::filesystem::path& log_path,
                       std::chrono::milliseconds timeout, int interrupt_fd);

}  // namespace concbench
