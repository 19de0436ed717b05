#pragma once
/// The plan: every cell a run will measure, in the order it measures them.

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/core/cell_key.hpp"

namespace concbench {

/// Bad input from the user: one line, exit 2, before anything runs.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using ParamSweep = std::pair<std::string, std::vector<std::string>>;

struct PlanRequest {
  std::vector<std::string> workloads;  // `name` or `name/variant`; empty: every workload that is not hidden
  std::vector<std::string> models;     // empty: every model
  std::vector<int> cores;              // empty: default_cores(cpus)
  std::vector<ParamSweep> sets;        // --set k=v1,v2
  bool quick = false;                  // the workloads' quick sweeps instead of their default ones
  int cpus = 1;                        // CPUs in the run's affinity set
};

/// 1, 2, 4, … below `cpus`, then `cpus` itself.
std::vector<int> default_cores(int cpus);

/// Parses one `--set K=V1,V2`; throws UsageError.
ParamSweep parse_set(std::string_view text);

/// Cells in run order: per workload, variant and parameter combination, `sequential` at one core first
/// (every speedup's base), then the floors (`bare` cells: WorkloadSpec::floors) the models there are compared
/// with, then the other models, cores ascending. Throws UsageError on any bad input.
std::vector<CellKey> build_plan(const PlanRequest& request);

}  // namespace concbench
