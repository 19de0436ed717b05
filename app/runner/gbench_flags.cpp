#include "app/runner/gbench_flags.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "app/runner/cell_sizing.hpp"
#include "app/runner/plan.hpp"

namespace concbench {
namespace {

enum class Kind { positive_int, min_time, seconds, boolean };

/// Flags that make sense per cell (Google Benchmark 1.7.1 names; values also in 1.8's syntax, translated).
const std::map<std::string, Kind>& passed_flags() {
  static const std::map<std::string, Kind> flags{
      {"benchmark_repetitions", Kind::positive_int},
      {"benchmark_min_time", Kind::min_time},
      {"benchmark_min_warmup_time", Kind::seconds},
      {"benchmark_enable_random_interleaving", Kind::boolean},
  };
  return flags;
}

/// Flags that would take over the runner's own output or selection of benchmarks.
bool breaks_runner(const std::string& name) {
  static const std::vector<std::string> refused{"benchmark_out",
                                                "benchmark_out_format",
                                                "benchmark_format",
                                                "benchmark_filter",
                                                "benchmark_list_tests",
                                                "benchmark_report_aggregates_only",
                                                "benchmark_display_aggregates_only",
                                                "benchmark_color",
                                                "benchmark_counters_tabular"};
  return std::find(refused.begin(), refused.end(), name) != refused.end();
}

/// The value as the installed 1.7.1 and the cell child read it: Google Benchmark 1.8's `0.5s` becomes `0.5`;
/// min_time's `10x` (a fixed number of iterations per repetition, which 1.7.1 has no flag for) is kept and
/// honoured by the cell child itself (cell_sizing.hpp). Throws UsageError for anything else.
std::string checked_value(const std::string& name, Kind kind, const std::string& value) {
  const auto bad = [&](const char* expected) {
    return UsageError(fmt::format("--{} expects {}, got '{}'", name, expected, value));
  };
  switch (kind) {
    case Kind::positive_int: {
      long long n = 0;
      const auto* end = value.data() + value.size();
      const auto [ptr, ec] = std::from_chars(value.data(), end, n);
      if (ec != std::errc{} || ptr != end || n <= 0) throw bad("a positive integer");
      return value;
    }
    case Kind::min_time: {
      const auto min_time = parse_min_time(value);
      if (!min_time) throw bad("seconds (0.5 or 0.5s) or iterations (10x), above zero");
      return min_time->iterations ? value : fmt::format("{}", min_time->seconds);
    }
    case Kind::seconds: {
      const auto min_time = parse_min_time(value, /*zero_ok=*/true);
      if (!min_time || min_time->iterations) throw bad("a number of seconds (0.5 or 0.5s), zero or more");
      return fmt::format("{}", min_time->seconds);
    }
    case Kind::boolean:
      if (value != "true" && value != "false" && value != "1" && value != "0") throw bad("true or false");
      return value;
  }
  return value;
}

std::string flag_name(const std::string& flag) { return flag.substr(2, flag.find('=') - 2); }

}  // namespace

std::vector<std::string> take_gbench_flags(std::vector<std::string>& args) {
  std::vector<std::string> taken;
  std::vector<std::string> rest;
  for (const auto& arg : args) {
    if (!arg.starts_with("--benchmark_")) {
      rest.push_back(arg);
      continue;
    }
    const auto name = flag_name(arg);
    if (breaks_runner(name)) {
      throw UsageError(
          fmt::format("--{} is refused: concbench writes its own output and runs one benchmark per cell", name));
    }
    const auto known = passed_flags().find(name);
    if (known == passed_flags().end()) throw UsageError(fmt::format("unknown or unsupported flag --{}", name));
    const auto eq = arg.find('=');
    if (eq == std::string::npos && known->second != Kind::boolean) {
      throw UsageError(fmt::format("--{} needs a value: --{}=VALUE", name, name));
    }
    if (eq == std::string::npos) {
      taken.push_back(arg);  // a boolean given by name
    } else {
      taken.push_back(fmt::format("--{}={}", name, checked_value(name, known->second, arg.substr(eq + 1))));
    }
  }
  args = std::move(rest);
  return taken;
}

std::vector<std::string> cell_gbench_flags(bool quick, const std::vector<std::string>& user_flags) {
  // Defaults sized so --quick fits a minute and the default plan ten minutes on 2 cores (about 500 and 900
  // cells: every model and peer, with the floors). The CI regression plan pins its own min_time
  // (scripts/concbench_data/rounds.py, docs/ci.md).
  std::vector<std::string> flags{quick ? "--benchmark_repetitions=3" : "--benchmark_repetitions=5",
                                 quick ? "--benchmark_min_time=0.02" : "--benchmark_min_time=0.08"};
  for (const auto& flag : user_flags) {
    const auto name = flag_name(flag);
    std::erase_if(flags, [&](const std::string& f) { return flag_name(f) == name; });
    flags.push_back(flag);
  }
  return flags;
}

}  // namespace concbench
