#include "harness/report/schema.hpp"

#include <initializer_list>

namespace concbench::schema {

const csv::Fields& key_columns() {
  static const csv::Fields columns{"workload", "variant", "model", "cores", "tasks", "params"};
  return columns;
}

namespace {

/// `head`, the key's columns, then `tail`: every table names its row's cell by the key, after the run's columns.
csv::Fields around_key(csv::Fields head, std::initializer_list<const char*> tail) {
  head.insert(head.end(), key_columns().begin(), key_columns().end());
  for (const char* column : tail) head.emplace_back(column);
  return head;
}

}  // namespace

const csv::Fields& results_columns() {
  static const csv::Fields columns = around_key(
      {"schema", "run_id", "timestamp", "machine_id", "host", "cpu_model", "cpus", "compiler", "build_type", "git_sha"},
      {"workers",
       "taxonomy",
       "status",
       "reason",
       "verified",
       "repetitions",
       "iterations",
       "items",
       "real_time_s",
       "cpu_time_s",
       "items_per_s",
       "items_per_s_stddev",
       "cv",
       "speedup",
       "efficiency",
       "bare_ratio",
       "latency_p50_us",
       "latency_p99_us",
       "fairness",
       "ctx_switches_vol",
       "ctx_switches_invol",
       "max_rss_kb",
       "metrics"});
  return columns;
}

const csv::Fields& repetitions_columns() {
  static const csv::Fields columns =
      around_key({"schema", "run_id"}, {"repetition", "iterations", "items_per_s", "real_time_s", "cpu_time_s"});
  return columns;
}

const csv::Fields& metrics_columns() {
  static const csv::Fields columns = around_key({"schema", "run_id"}, {"metric", "value", "unit"});
  return columns;
}

}  // namespace concbench::schema
