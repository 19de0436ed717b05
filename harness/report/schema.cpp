#include "harness/report/schema.hpp"

namespace concbench::schema {

const csv::Fields& key_columns() {
  static const csv::Fields columns{"workload", "variant", "model", "cores", "tasks", "params"};
  return columns;
}

const csv::Fields& results_columns() {
  static const csv::Fields columns = [] {
    csv::Fields all{"schema",    "run_id", "timestamp", "machine_id", "host",
                    "cpu_model", "cpus",   "compiler",  "build_type", "git_sha"};
    all.insert(all.end(), key_columns().begin(), key_columns().end());
    for (const char* column : {"workers",
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
                               "metrics"}) {
      all.emplace_back(column);
    }
    return all;
  }();
  return columns;
}

const csv::Fields& repetitions_columns() {
  static const csv::Fields columns = [] {
    csv::Fields all{"schema", "run_id"};
    all.insert(all.end(), key_columns().begin(), key_columns().end());
    for (const char* column : {"repetition", "iterations", "items_per_s", "real_time_s", "cpu_time_s"}) {
      all.emplace_back(column);
    }
    return all;
  }();
  return columns;
}

const csv::Fields& metrics_columns() {
  static const csv::Fields columns = [] {
    csv::Fields all{"schema", "run_id"};
    all.insert(all.end(), key_columns().begin(), key_columns().end());
    for (const char* column : {"metric", "value", "unit"}) all.emplace_back(column);
    return all;
  }();
  return columns;
}

}  // namespace concbench::schema
