#include "runner/cell_sizing.hpp"

#include <algorithm>
#include <cmath>

namespace concbench {

CellSizing size_cell(double run_s, double min_time_s, int repetitions, double budget_s) {
  CellSizing sizing;
  run_s = std::max(run_s, 1e-9);
  sizing.iterations = std::max<std::int64_t>(1, std::llround(std::ceil(min_time_s / run_s)));
  sizing.repetitions = std::max(1, repetitions);
  if (budget_s > 0) {
    const double repetition_s = static_cast<double>(sizing.iterations) * run_s;
    const auto affordable = static_cast<int>(std::floor(budget_s / repetition_s));
    sizing.repetitions = std::clamp(affordable, std::min(2, sizing.repetitions), sizing.repetitions);
  }
  return sizing;
}

std::optional<std::string> gbench_flag_value(const std::vector<std::string>& flags, const std::string& name) {
  const auto prefix = "--" + name + "=";
  std::optional<std::string> value;
  for (const auto& flag : flags) {
    if (flag.starts_with(prefix)) value = flag.substr(prefix.size());  // the last one wins, as in the library
  }
  return value;
}

}  // namespace concbench
