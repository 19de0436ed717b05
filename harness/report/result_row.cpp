#include "harness/report/result_row.hpp"

#include <charconv>

#include <fmt/format.h>

#include "harness/report/build_info.hpp"
#include "harness/report/metric_units.hpp"
#include "harness/report/run_directory.hpp"
#include "harness/report/schema.hpp"
#include "harness/stats/summary.hpp"

namespace concbench {

std::string format_number(double value) { return fmt::format("{:.6g}", value); }

csv::Row key_columns(const CellKey& key) {
  return {{"workload", key.workload},
          {"variant", key.variant},
          {"model", key.model},
          {"cores", std::to_string(key.cores)},
          {"tasks", std::to_string(key.tasks)},
          {"params", key.params.canonical()}};
}

CellKey key_of(const csv::Row& row) {
  try {
    return {row.at("workload"),
            row.at("variant"),
            row.at("model"),
            static_cast<int>(parse_int(row.at("cores"), "cores")),
            static_cast<int>(parse_int(row.at("tasks"), "tasks")),
            Params::parse(row.at("params"))};
  } catch (const std::out_of_range& e) {
    throw std::invalid_argument(std::string("row without a key column: ") + e.what());
  }
}

namespace {

csv::Row common_columns(const RunColumns& run, const CellKey& key) {
  auto row = key_columns(key);
  row["schema"] = std::to_string(schema::kVersion);
  row["run_id"] = run.run_id;
  return row;
}

std::string join_metrics(const std::map<std::string, std::string>& metrics) {
  std::string text;
  for (const auto& [name, value] : metrics) text += (text.empty() ? "" : ";") + name + "=" + value;
  return text;
}

void set_optional(csv::Row& row, const char* column, const std::optional<double>& value) {
  if (value) row[column] = format_number(*value);
}

}  // namespace

ResultRow result_row(const CellKey& key, const CellResult& result, const rusage& usage, const References& references,
                     const ModelInfo* model) {
  ResultRow row;
  row.key = key;
  row.timestamp = utc_timestamp();
  row.status = result.status;
  row.reason = result.reason;
  row.verified = result.verified;
  if (result.workers > 0) {
    row.workers = result.workers;
    if (model != nullptr) row.taxonomy = std::string(taxonomy(*model, key.cores, key.tasks, result.workers));
  }
  if (result.items > 0) row.items = result.items;
  row.ctx_switches_vol = usage.ru_nvcsw;
  row.ctx_switches_invol = usage.ru_nivcsw;
  row.max_rss_kb = usage.ru_maxrss;
  row.metrics = result.metrics;
  if (result.status != Status::ok || result.repetitions.empty()) return row;  // a failed cell has no throughput

  std::vector<double> rates, real_times, cpu_times;
  for (const auto& repetition : result.repetitions) {
    rates.push_back(repetition.items_per_s);
    real_times.push_back(repetition.real_time_s);
    cpu_times.push_back(repetition.cpu_time_s);
  }
  const auto throughput = stats::summarize(rates);
  row.repetitions = result.repetitions.size();
  row.iterations = result.repetitions.front().iterations;  // the same in every repetition
  row.real_time_s = stats::median(real_times);
  row.cpu_time_s = stats::median(cpu_times);
  row.items_per_s = throughput.median;
  row.items_per_s_stddev = throughput.stddev;
  row.cv = throughput.cv;
  // The base itself: speedup 1 (the runner has no base yet when it writes the base's own row).
  const auto base = references.own_base ? std::optional<double>(throughput.median) : references.base_items_per_s;
  if (base && *base > 0) {
    row.speedup = throughput.median / *base;
    row.efficiency = *row.speedup / key.cores;
  }
  if (references.floor_items_per_s && *references.floor_items_per_s > 0) {
    row.bare_ratio = throughput.median / *references.floor_items_per_s;
  }
  row.latency_p50_us = result.latency_p50_us;
  row.latency_p99_us = result.latency_p99_us;
  row.fairness = result.fairness;
  return row;
}

csv::Row fields(const RunColumns& run, const ResultRow& row) {
  auto out = common_columns(run, row.key);
  out["timestamp"] = row.timestamp;
  out["machine_id"] = run.machine.machine_id;
  out["host"] = run.machine.host;
  out["cpu_model"] = run.machine.cpu_model;
  out["cpus"] = std::to_string(run.machine.affinity.size());
  out["compiler"] = build_info::compiler;
  out["build_type"] = build_info::build_type;
  out["git_sha"] = build_info::git_sha;
  out["status"] = std::string(to_string(row.status));
  out["reason"] = row.reason;
  out["verified"] = row.verified ? "true" : "false";
  if (row.workers) out["workers"] = std::to_string(*row.workers);
  if (!row.taxonomy.empty()) out["taxonomy"] = row.taxonomy;
  if (row.items) out["items"] = std::to_string(*row.items);
  out["ctx_switches_vol"] = std::to_string(row.ctx_switches_vol);
  out["ctx_switches_invol"] = std::to_string(row.ctx_switches_invol);
  out["max_rss_kb"] = std::to_string(row.max_rss_kb);
  out["metrics"] = join_metrics(row.metrics);
  if (row.repetitions) out["repetitions"] = std::to_string(*row.repetitions);
  if (row.iterations) out["iterations"] = std::to_string(*row.iterations);
  for (const auto& [column, value] : {std::pair{"real_time_s", row.real_time_s},
                                      {"cpu_time_s", row.cpu_time_s},
                                      {"items_per_s", row.items_per_s},
                                      {"items_per_s_stddev", row.items_per_s_stddev},
                                      {"cv", row.cv},
                                      {"speedup", row.speedup},
                                      {"efficiency", row.efficiency},
                                      {"bare_ratio", row.bare_ratio},
                                      {"latency_p50_us", row.latency_p50_us},
                                      {"latency_p99_us", row.latency_p99_us},
                                      {"fairness", row.fairness}}) {
    set_optional(out, column, value);
  }
  return out;
}

std::vector<csv::Row> repetition_rows(const RunColumns& run, const CellKey& key, const CellResult& result) {
  std::vector<csv::Row> rows;
  if (result.status != Status::ok) return rows;
  for (std::size_t i = 0; i < result.repetitions.size(); ++i) {
    const auto& repetition = result.repetitions[i];
    auto row = common_columns(run, key);
    row["repetition"] = std::to_string(i);
    row["iterations"] = std::to_string(repetition.iterations);
    row["items_per_s"] = format_number(repetition.items_per_s);
    row["real_time_s"] = format_number(repetition.real_time_s);
    row["cpu_time_s"] = format_number(repetition.cpu_time_s);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<csv::Row> metric_rows(const RunColumns& run, const CellKey& key, const CellResult& result) {
  std::vector<csv::Row> rows;
  for (const auto& [name, value] : result.metrics) {
    double number = 0;
    const auto* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, number);
    if (value.empty() || ec != std::errc{} || ptr != end) continue;
    auto row = common_columns(run, key);
    row["metric"] = name;
    row["value"] = value;
    row["unit"] = std::string(metric_unit(name));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace concbench
