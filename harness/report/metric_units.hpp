#pragma once
/// The unit of every `metrics` key a cell may report (docs/csv-schema.md), for metrics.csv.

#include <string_view>

namespace concbench {

/// The key's unit (`count`, `ns`, `us`, `ms`, `bytes`, `1/s`, `ratio`, `percent`, `id`), or empty when the
/// key is unknown here: a new metric must be added to this table and to docs/csv-schema.md.
std::string_view metric_unit(std::string_view key);

}  // namespace concbench
