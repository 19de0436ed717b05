#pragma once
/// What one cell produced: its status and, when it was measured, each repetition's figures. Made in the cell's
/// child process (runner/cell_child.cpp), carried to the runner over a pipe (runner/cell_result_codec.hpp), turned
/// into rows by the reporters (report/).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/status.hpp"

namespace concbench {

struct Repetition {
  std::int64_t iterations = 0;  // runs of the cell in this repetition
  double real_time_s = 0;       // per run
  double cpu_time_s = 0;        // per run, whole process
  double items_per_s = 0;
};

struct CellResult {
  Status status = Status::failed;  // the child says ok, failed, unsupported or deadlock; the runner the rest
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

}  // namespace concbench
