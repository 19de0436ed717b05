#pragma once
/// How long cells are expected to take, before they run: for `--list` and the progress line's estimate.
///
/// A cell's time is its child's start and warm-up, then its repetitions: each lasts at least
/// --benchmark_min_time and all of them together at most the cell's time budget (cell_sizing.hpp), times the
/// trials of a chance-dependent cell. Cells whose single run outlasts that take longer: the progress line
/// corrects the estimate by the pace of the cells already done.

#include <cstddef>
#include <vector>

#include "app/runner/runner.hpp"
#include "harness/core/cell_key.hpp"

namespace concbench {

/// Whether the outcome of `key` is a matter of chance, so the runner runs it --trials times.
bool depends_on_chance(const CellKey& key);

/// Seconds each cell of `options.plan` is expected to take, in plan order.
std::vector<double> expected_cell_seconds(const RunOptions& options);

/// "1 h 02 min", "7 min 23 s", "42 s": a duration for a person.
std::string format_duration(double seconds);

}  // namespace concbench
