#pragma once
/// The parent process of a run: one child per cell, one row per cell, flushed as soon as the cell ends.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "app/runner/slowdown.hpp"
#include "harness/core/cell_key.hpp"
#include "harness/core/model_context.hpp"

namespace concbench {

struct RunOptions {
  std::vector<CellKey> plan;
  std::vector<std::string> plan_args;     // recorded in plan.args for --resume
  std::vector<std::string> gbench_flags;  // --benchmark_* flags every cell gets
  std::chrono::milliseconds timeout{120'000};
  std::filesystem::path out_parent = "reports";
  std::optional<std::filesystem::path> resume_dir;  // finish this run instead of starting a new one
  std::string command_line;
  std::optional<SlowdownRule> slowdown;  // testing aid: --inject-slowdown
  int trials = 1;  // runs of each chance-dependent cell (WorkloadSpec::trial_variants), each with its own seed
  double cell_budget_s = 0;  // most seconds a cell's repetitions may take together (0: as many as asked)
  PeerSettings peers;        // how the external models find their peers (--python, --peer)
};

/// Exit codes of a run.
enum RunExit : int {
  kAllMeasured = 0,   // every cell ok, or a status that is a result in itself (unsupported, deadlock)
  kSomeFailed = 1,    // a cell failed verification, crashed or timed out
  kInterrupted = 130  // Ctrl-C or SIGTERM: the running cell says `interrupted`, finished rows are kept
};

/// Runs every cell of the plan (skipping those already ok when resuming) and prints the report
/// directory on stdout. Throws std::runtime_error when the output cannot be written.
int run_plan(const RunOptions& options);

}  // namespace concbench
