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

/// `--benchmark_min_time`'s value in either syntax: 1.7.1's plain seconds (`0.5`), or 1.8's `0.5s` (seconds)
/// and `10x` (that many iterations per repetition; 1.7.1 has no flag for it, so concbench sizes the cell with
/// it itself). Empty when the value is neither, or not above zero (zero is allowed with `zero_ok`).
struct MinTime {
  double seconds = 0;
  std::optional<std::int64_t> iterations;
};
std::optional<MinTime> parse_min_time(const std::string& value, bool zero_ok = false);

/// `run_s`: the mean time of one run; `min_time`: the least time per repetition, or its fixed iterations
/// (--benchmark_min_time); `repetitions`: those asked for; `budget_s`: the most time all repetitions may take
/// together (0: none). At least one iteration; repetitions are cut by the budget, but never below two (a
/// spread needs two).
CellSizing size_cell(double run_s, const MinTime& min_time, int repetitions, double budget_s);

/// The value of `--NAME=VALUE` among Google Benchmark flags, if given.
std::optional<std::string> gbench_flag_value(const std::vector<std::string>& flags, const std::string& name);

}  // namespace concbench
