#pragma once
/// The child side of one cell: `concbench __cell ...`, exec'd by the runner (never run by hand).

#include <filesystem>
#include <string>
#include <vector>

#include "harness/core/cell_key.hpp"
#include "harness/core/model_context.hpp"

namespace concbench {

struct CellRequest {
  CellKey key;
  std::vector<int> cpus;                  // the first `cores` CPUs of the run's affinity set
  std::vector<std::string> gbench_flags;  // --benchmark_* flags, already checked by the parent
  std::filesystem::path json_path;        // where Google Benchmark's JSON of this cell goes
  double slowdown_pct = 0;                // testing aid: --inject-slowdown (runner/slowdown.hpp)
  Calibration calibration;                // what the run measured for the models that need it
  int trial = 0;                          // trial t of a chance-dependent cell runs with its `seed` + t
  double budget_s = 0;                    // most seconds all repetitions may take together (0: no cap)
  PeerSettings peers;                     // how the external models find their peers (--python, --peer)
};

/// The fd the child writes its CellResult to (set up by the parent before exec).
inline constexpr int kResultFd = 3;

/// Pins the process, builds the cell, measures it and writes the result to kResultFd. Returns the exit code.
int run_cell_child(const CellRequest& request);

}  // namespace concbench
