#include "app/runner/cell_sizing.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace concbench {

std::optional<MinTime> parse_min_time(const std::string& value, bool zero_ok) {
  if (value.empty()) return std::nullopt;
  const auto* end = value.data() + value.size();
  if (value.back() == 'x') {
    std::int64_t iterations = 0;
    const auto [ptr, ec] = std::from_chars(value.data(), end - 1, iterations);
    if (ec != std::errc{} || ptr != end - 1 || iterations <= 0) return std::nullopt;
    return MinTime{0, iterations};
  }
  if (value.back() == 's') --end;
  double seconds = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), end, seconds);
  if (ec != std::errc{} || ptr != end || !std::isfinite(seconds) || seconds < 0 || (seconds == 0 && !zero_ok)) {
    return std::nullopt;
  }
  return MinTime{seconds, std::nullopt};
}

CellSizing size_cell(double run_s, const MinTime& min_time, int repetitions, double budget_s) {
  CellSizing sizing;
  run_s = std::max(run_s, 1e-9);
  sizing.iterations = min_time.iterations
                          ? *min_time.iterations
                          : std::max<std::int64_t>(1, std::llround(std::ceil(min_time.seconds / run_s)));
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
