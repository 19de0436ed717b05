#pragma once
/// Turns one cell's result into its results.csv and repetitions.csv rows.

#include <optional>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "core/cell_key.hpp"
#include "report/csv.hpp"
#include "report/machine.hpp"
#include "runner/cell_result.hpp"

namespace concbench {

/// The columns every row of one run shares.
struct RunColumns {
  std::string run_id;
  MachineInfo machine;
};

/// `base_items_per_s`: throughput of the key's speedup base in this run, when it is there and ok.
/// `floor_items_per_s`: throughput of the key's floor (its `bare` cell, benchmarks/workload.hpp `floor_key`)
/// in this run, when it is there and ok: the row's `bare_ratio` is its own throughput over it.
csv::Row result_row(const RunColumns& run, const CellKey& key, const CellResult& result, const rusage& usage,
                    std::optional<double> base_items_per_s, std::optional<double> floor_items_per_s = std::nullopt);
std::vector<csv::Row> repetition_rows(const RunColumns& run, const CellKey& key, const CellResult& result);
/// metrics.csv rows: each of the result's metrics whose value is a number, with its unit (text ones, such as
/// `mapping`, stay in results.csv's `metrics` only).
std::vector<csv::Row> metric_rows(const RunColumns& run, const CellKey& key, const CellResult& result);

/// The cell-key columns of a row.
csv::Row key_columns(const CellKey& key);
/// The key a results.csv or repetitions.csv row names; throws std::invalid_argument when malformed.
CellKey key_of(const csv::Row& row);

/// Locale-independent, `.` decimals, 6 significant digits.
std::string format_number(double value);

}  // namespace concbench
