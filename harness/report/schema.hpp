#pragma once
/// Column lists of results.csv and repetitions.csv (documented column by column in docs/csv-schema.md).

#include "harness/report/csv.hpp"

namespace concbench::schema {

/// Bump when a column changes meaning or goes away; the Python loaders migrate older versions.
inline constexpr int kVersion = 2;  // 2: `bare_ratio` after `efficiency`, `iterations` out of `metrics`

const csv::Fields& results_columns();
const csv::Fields& repetitions_columns();
/// metrics.csv: one row per numeric metric of a cell (long format), with its unit.
const csv::Fields& metrics_columns();
/// The cell-key columns, in the order they appear in both files.
const csv::Fields& key_columns();

}  // namespace concbench::schema
