#include "harness/models/gil/gil_stats.hpp"

#include <fmt/format.h>

namespace concbench::gil {

std::map<std::string, std::string> GilStats::metrics() const {
  const double active_s = static_cast<double>(active_ns_.load(std::memory_order_relaxed)) / 1e9;
  const auto takes = this->takes();
  const double wait_us = static_cast<double>(wait_ns_.load(std::memory_order_relaxed)) / 1e3;
  return {
      {"gil_switches_per_s", fmt::format("{:.6g}", active_s > 0 ? static_cast<double>(switches()) / active_s : 0.0)},
      {"forced_drops", std::to_string(forced_drops())},
      {"voluntary_drops", std::to_string(voluntary_drops())},
      {"gil_takes", std::to_string(takes)},
      {"holder_overlaps", std::to_string(holders_.overlaps())},
      {"mean_wait_us", fmt::format("{:.6g}", takes > 0 ? wait_us / static_cast<double>(takes) : 0.0)},
  };
}

}  // namespace concbench::gil
