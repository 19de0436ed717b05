#include "runner/row.hpp"

#include <charconv>

#include <fmt/format.h>

#include "models/registry.hpp"
#include "report/build_info.hpp"
#include "report/metric_units.hpp"
#include "report/run_directory.hpp"
#include "report/schema.hpp"
#include "stats/summary.hpp"

namespace concbench {

std::string format_number(double value) { return fmt::format("{:.6g}", value); }

csv::Row key_columns(const CellKey& key) {
  return {{"workload", key.workload}, {"variant", key.variant},
          {"model", key.model},       {"cores", std::to_string(key.cores)},
          {"tasks", std::to_string(key.tasks)}, {"params", key.params.canonical()}};
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

csv::Row result_row(const RunColumns& run, const CellKey& key, const CellResult& result, const rusage& usage,
                    std::optional<double> base_items_per_s, std::optional<double> floor_items_per_s) {
  auto row = common_columns(run, key);
  row["timestamp"] = utc_timestamp();
  row["machine_id"] = run.machine.machine_id;
  row["host"] = run.machine.host;
  row["cpu_model"] = run.machine.cpu_model;
  row["cpus"] = std::to_string(run.machine.affinity.size());
  row["compiler"] = build_info::compiler;
  row["build_type"] = build_info::build_type;
  row["git_sha"] = build_info::git_sha;
  row["status"] = result.status;
  row["reason"] = result.reason;
  row["verified"] = result.verified ? "true" : "false";
  if (result.workers > 0) {
    row["workers"] = std::to_string(result.workers);
    if (const auto* model = find_model(key.model)) {
      row["taxonomy"] = std::string(taxonomy(*model, key.cores, key.tasks, result.workers));
    }
  }
  if (result.items > 0) row["items"] = std::to_string(result.items);
  row["ctx_switches_vol"] = std::to_string(usage.ru_nvcsw);
  row["ctx_switches_invol"] = std::to_string(usage.ru_nivcsw);
  row["max_rss_kb"] = std::to_string(usage.ru_maxrss);
  row["metrics"] = join_metrics(result.metrics);
  if (result.status != "ok" || result.repetitions.empty()) return row;  // a failed cell has no throughput

  std::vector<double> rates, real_times, cpu_times;
  for (const auto& repetition : result.repetitions) {
    rates.push_back(repetition.items_per_s);
    real_times.push_back(repetition.real_time_s);
    cpu_times.push_back(repetition.cpu_time_s);
  }
  const auto throughput = stats::summarize(rates);
  row["repetitions"] = std::to_string(result.repetitions.size());
  row["iterations"] = std::to_string(result.repetitions.front().iterations);  // the same in every repetition
  row["real_time_s"] = format_number(stats::median(real_times));
  row["cpu_time_s"] = format_number(stats::median(cpu_times));
  row["items_per_s"] = format_number(throughput.median);
  row["items_per_s_stddev"] = format_number(throughput.stddev);
  row["cv"] = format_number(throughput.cv);
  // The base itself: speedup 1.
  if (key == key.speedup_base(model_param_names(key.model))) base_items_per_s = throughput.median;
  if (base_items_per_s && *base_items_per_s > 0) {
    const double speedup = throughput.median / *base_items_per_s;
    row["speedup"] = format_number(speedup);
    row["efficiency"] = format_number(speedup / key.cores);
  }
  if (floor_items_per_s && *floor_items_per_s > 0) {
    row["bare_ratio"] = format_number(throughput.median / *floor_items_per_s);
  }
  set_optional(row, "latency_p50_us", result.latency_p50_us);
  set_optional(row, "latency_p99_us", result.latency_p99_us);
  set_optional(row, "fairness", result.fairness);
  return row;
}

std::vector<csv::Row> repetition_rows(const RunColumns& run, const CellKey& key, const CellResult& result) {
  std::vector<csv::Row> rows;
  if (result.status != "ok") return rows;
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
