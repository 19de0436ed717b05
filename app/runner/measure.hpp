#pragma once
/// Google Benchmark glue: times one cell inside the child process.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "benchmarks/workload.hpp"
#include "harness/core/cell_result.hpp"

namespace concbench {

struct Measurement {
  bool ok = false;
  std::string error;      // why Google Benchmark skipped the cell (verification, exception, no runs)
  bool deadlock = false;  // the skip was a model's DeadlockError: every remaining task waits for another
  bool crashed = false;   // the skip was an external model's peer that ended (PeerError::crashed)
  std::vector<Repetition> repetitions;
  std::string gbench_library_build_type;
};

/// Registers `cell` as the one benchmark of this process (real time, or the cell's own time of each run where
/// it has one: CellRun::own_run_seconds; process CPU time; items processed),
/// runs it with `flags` (only --benchmark_* flags the runner allows) and writes Google Benchmark's JSON to
/// `json_path`. Warm-up runs come first and size the iterations per repetition (runner/cell_sizing.hpp);
/// `budget_s` (0: none) caps the time of all repetitions. Verification runs after each repetition's timed
/// loop; a failure is a SkipWithError.
Measurement measure(CellRun& cell, const std::string& name, const std::vector<std::string>& flags,
                    const std::filesystem::path& json_path, double budget_s);

}  // namespace concbench
