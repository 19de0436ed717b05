#pragma once
/// How Google Benchmark runs one cell: iterations per repetition and repetitions, sized from the cell's own
/// warm-up runs. Google Benchmark's estimate grows the iterations from the time of the last trial, which a
/// cell whose runs vary (a fast first run, then slow ones: fiber-ws hand-offs once its idle worker sleeps)
/// turns into minutes; sizing from the mean of several warm-up runs, and capping the repetitions by a time
/// budget, keeps every cell near its share of the plan's time (DESIGN.md: each cell has a time budget).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace concbench {

struct CellSizing {
  std::int64_t iterations = 1;  // runs per repetition
  int repetitions = 1;
};

/// `run_s`: the mean time of one run; `min_time_s`: the least time per repetition (--benchmark_min_time);
/// `repetitions`: those asked for; `budget_s`: the most time all repetitions may take together (0: none).
/// At least one iteration; repetitions are cut by the budget, but never below two (a spread needs two).
CellSizing size_cell(double run_s, double min_time_s, int repetitions, double budget_s);

/// The value of `--NAME=VALUE` among Google Benchmark flags, if given.
std::optional<std::string> gbench_flag_value(const std::vector<std::string>& flags, const std::string& name);

}  // namespace concbench
