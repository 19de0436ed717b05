#pragma once
/// One cell's rows: results.csv's (typed until it is written), and those of repetitions.csv and metrics.csv.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "harness/core/cell_key.hpp"
#include "harness/core/cell_result.hpp"
#include "harness/core/model_info.hpp"
#include "harness/report/csv.hpp"
#include "harness/report/machine.hpp"

namespace concbench {

/// The columns every row of one run shares.
struct RunColumns {
  std::string run_id;
  MachineInfo machine;
};

/// The throughputs a row is compared with, measured in the same run (absent when not there or not ok).
struct References {
  std::optional<double> base_items_per_s;   // the key's speedup base: `sequential` at 1 core
  std::optional<double> floor_items_per_s;  // the key's floor: its `bare` cell (benchmarks/workload.hpp)
  bool own_base = false;                    // the key is its own speedup base (its speedup is 1 by definition)
};

/// A results.csv row (docs/csv-schema.md), column by column; empty optionals are empty fields.
struct ResultRow {
  CellKey key;
  std::string timestamp;
  Status status = Status::failed;
  std::string reason;
  bool verified = false;
  std::optional<int> workers;
  std::string taxonomy;
  std::optional<std::int64_t> items;
  std::map<std::string, std::string> metrics;
  long ctx_switches_vol = 0;
  long ctx_switches_invol = 0;
  long max_rss_kb = 0;
  // Measured: ok rows only.
  std::optional<std::size_t> repetitions;
  std::optional<std::int64_t> iterations;
  std::optional<double> real_time_s, cpu_time_s, items_per_s, items_per_s_stddev, cv;
  std::optional<double> speedup, efficiency, bare_ratio;
  std::optional<double> latency_p50_us, latency_p99_us, fairness;
};

/// The row of a cell's result. `usage`: the child's rusage; `model`: the key's model, for the taxonomy (none:
/// no taxonomy).
ResultRow result_row(const CellKey& key, const CellResult& result, const rusage& usage, const References& references,
                     const ModelInfo* model);
/// The same as results.csv fields, with the run's shared columns.
csv::Row fields(const RunColumns& run, const ResultRow& row);

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
