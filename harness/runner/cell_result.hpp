#pragma once
/// What a cell's child process hands back to the runner over its result pipe (one JSON document).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runner/measure.hpp"

namespace concbench {

struct CellResult {
  std::string status;  // ok, failed, unsupported, deadlock (the runner adds timeout, crashed, interrupted)
  std::string reason;
  bool verified = false;
  std::int64_t items = 0;
  int workers = 0;
  std::map<std::string, std::string> metrics;
  std::optional<double> latency_p50_us;
  std::optional<double> latency_p99_us;
  std::optional<double> fairness;
  std::vector<Repetition> repetitions;
  std::string gbench_library_build_type;
};

std::string encode(const CellResult& result);
/// Throws std::runtime_error when `text` is not a complete result (a child that died while writing).
CellResult decode_cell_result(const std::string& text);

}  // namespace concbench
