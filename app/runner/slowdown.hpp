#pragma once
/// `--inject-slowdown WORKLOAD[/VARIANT]=PCT`: a testing aid for the regression statistics (docs/ci.md).
/// Each run of a matching cell is made PCT % longer by spinning after it, so compare.py can be checked
/// against a slowdown of known size. The cell key is unchanged (the slowed cell must match its baseline);
/// the row's metrics say `injected_slowdown_pct`.

#include <memory>
#include <string>
#include <string_view>

#include "benchmarks/workload.hpp"
#include "harness/core/cell_key.hpp"

namespace concbench {

struct SlowdownRule {
  std::string workload;
  std::string variant;  // empty: every variant
  double percent = 0;

  bool matches(const CellKey& key) const;
};

/// Parses `WORKLOAD[/VARIANT]=PCT` (0 < PCT ≤ 1000); throws UsageError.
SlowdownRule parse_slowdown(std::string_view text);

/// Wraps `cell` so that each run takes `percent` % longer than it did.
std::unique_ptr<CellRun> slowed(std::unique_ptr<CellRun> cell, double percent);

}  // namespace concbench
