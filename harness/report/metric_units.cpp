#include "harness/report/metric_units.hpp"

#include <array>
#include <utility>

namespace concbench {

std::string_view metric_unit(std::string_view key) {
  // Text metrics (`mapping`, `primitive`) have no unit: they stay in results.csv's `metrics` only.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 25> kUnits{{
      {"trials", "count"},
      {"deadlock_share", "ratio"},
      {"injected_slowdown_pct", "percent"},
      {"gil_switches_per_s", "1/s"},
      {"forced_drops", "count"},
      {"voluntary_drops", "count"},
      {"gil_takes", "count"},
      {"holder_overlaps", "count"},
      {"takes", "count"},
      {"mean_wait_us", "us"},
      {"tick_ns", "ns"},
      {"rounds_per_tick", "count"},
      {"ns_per_switch", "ns"},
      {"latency_max_us", "us"},
      {"peak_rss_bytes_per_task", "bytes"},
      {"fairness_wait", "ratio"},
      {"wait_p99_us", "us"},
      {"meals_done", "count"},
      {"blocked", "count"},
      {"deadlock_ms", "ms"},
      {"seed", "id"},
      {"run", "count"},
      {"cpu_lock_share", "ratio"},
      {"cpu_lock_share_min", "ratio"},
      {"check_period_ticks", "count"},
  }};
  for (const auto& [name, unit] : kUnits) {
    if (name == key) return unit;
  }
  return {};
}

}  // namespace concbench
