#include "app/runner/estimate.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "app/runner/cell_sizing.hpp"
#include "benchmarks/workload_registry.hpp"

namespace concbench {
namespace {

// A cell's child: exec, Google Benchmark's set-up, the cold run and the warm-up (measure.cpp: 50 ms at most).
// Between what the default plan (613 cells, 7 min 23 s) and --quick (297 cells, 34 s) took on 2 vCPUs.
constexpr double kCellStartS = 0.1;

}  // namespace

bool depends_on_chance(const CellKey& key) {
  const auto* workload = find_workload(key.workload);
  if (workload == nullptr) return false;
  const auto& chancy = workload->trial_variants;
  return std::find(chancy.begin(), chancy.end(), key.variant) != chancy.end();
}

std::vector<double> expected_cell_seconds(const RunOptions& options) {
  const auto min_time = parse_min_time(gbench_flag_value(options.gbench_flags, "benchmark_min_time").value_or("0.5"));
  const auto repetitions = std::stoi(gbench_flag_value(options.gbench_flags, "benchmark_repetitions").value_or("1"));
  // Fixed iterations (`Nx`): their time is unknown before a run; count each repetition as a short one.
  const double repetition_s = min_time && !min_time->iterations ? min_time->seconds : 0.01;
  double measured_s = repetitions * repetition_s;
  if (options.cell_budget_s > 0) measured_s = std::min(measured_s, options.cell_budget_s);
  std::vector<double> seconds;
  seconds.reserve(options.plan.size());
  for (const auto& key : options.plan) {
    const int runs = depends_on_chance(key) ? options.trials : 1;
    seconds.push_back(runs * (kCellStartS + measured_s));
  }
  return seconds;
}

std::string format_duration(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  if (total >= 3600) return fmt::format("{} h {:02} min", total / 3600, (total % 3600) / 60);
  if (total >= 60) return fmt::format("{} min {:02} s", total / 60, total % 60);
  return fmt::format("{} s", total);
}

}  // namespace concbench
