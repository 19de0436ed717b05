// One cell's results.csv, repetitions.csv and metrics.csv rows (harness/report/result_row.hpp), and the
// taxonomy quadrants.
#include "harness/report/result_row.hpp"

#include <algorithm>
#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/models/model_registry.hpp"
#include "harness/report/schema.hpp"

namespace concbench {
namespace {

using ::testing::HasSubstr;

CellKey thread_key(int cores) { return {"parallel", "cpu", "thread", cores, 8, Params::parse("items=64;work=10")}; }

RunColumns run_columns() {
  RunColumns run;
  run.run_id = "host-20260101T000000Z";
  run.machine.host = "host";
  run.machine.cpu_model = "Test CPU";
  run.machine.affinity = {0, 1, 2, 3};
  run.machine.machine_id = "0123456789abcdef";
  return run;
}

CellResult ok_result() {
  CellResult result;
  result.status = Status::ok;
  result.verified = true;
  result.items = 64;
  result.workers = 8;
  result.metrics = {{"mapping", "thread-per-task"}, {"tick_ns", "2.1"}};
  // Throughputs 100, 300, 200: the median is 200 whatever the order.
  result.repetitions = {{10, 0.64, 1.2, 100}, {10, 0.2133, 0.4, 300}, {10, 0.32, 0.6, 200}};
  return result;
}

/// A column's value, empty when the row leaves it out (the appender writes both as an empty field).
std::string field(const csv::Row& row, const std::string& column) {
  const auto it = row.find(column);
  return it == row.end() ? std::string{} : it->second;
}

double number(const csv::Row& row, const std::string& column) { return std::stod(field(row, column)); }

/// The results.csv fields of a cell's row, with these references (as the runner finds them in the run).
csv::Row written(const CellKey& key, const CellResult& result, const rusage& usage, std::optional<double> base,
                 std::optional<double> floor = std::nullopt, bool own_base = false) {
  return fields(run_columns(), result_row(key, result, usage, {base, floor, own_base}, find_model(key.model)));
}

TEST(ResultRow, ThroughputIsTheMedianAndSpeedupIsAgainstTheBase) {
  const auto row = written(thread_key(4), ok_result(), rusage{}, 50.0);
  EXPECT_EQ(field(row, "status"), "ok");
  EXPECT_EQ(field(row, "verified"), "true");
  EXPECT_EQ(field(row, "repetitions"), "3");
  EXPECT_DOUBLE_EQ(number(row, "items_per_s"), 200);
  EXPECT_DOUBLE_EQ(number(row, "items_per_s_stddev"), 100);
  EXPECT_DOUBLE_EQ(number(row, "cv"), 0.5);
  EXPECT_DOUBLE_EQ(number(row, "real_time_s"), 0.32);
  EXPECT_DOUBLE_EQ(number(row, "cpu_time_s"), 0.6);
  EXPECT_DOUBLE_EQ(number(row, "speedup"), 4);     // 200 / 50
  EXPECT_DOUBLE_EQ(number(row, "efficiency"), 1);  // speedup / 4 cores
}

TEST(ResultRow, EfficiencyDividesByCores) {
  const auto row = written(thread_key(2), ok_result(), rusage{}, 100.0);
  EXPECT_DOUBLE_EQ(number(row, "speedup"), 2);
  EXPECT_DOUBLE_EQ(number(row, "efficiency"), 1);
}

TEST(ResultRow, NoSpeedupWithoutAUsableBase) {
  for (const auto base : {std::optional<double>{}, std::optional<double>{0.0}}) {
    const auto row = written(thread_key(2), ok_result(), rusage{}, base);
    EXPECT_EQ(field(row, "speedup"), "");
    EXPECT_EQ(field(row, "efficiency"), "");
    EXPECT_NE(field(row, "items_per_s"), "");
  }
}

TEST(ResultRow, BareRatioIsTheThroughputOverTheFloors) {
  const auto row = written(thread_key(2), ok_result(), rusage{}, std::nullopt, 400.0);
  EXPECT_DOUBLE_EQ(number(row, "bare_ratio"), 0.5);  // median 200 over the floor's 400
  EXPECT_EQ(field(row, "speedup"), "");              // the two references are independent
  for (const auto floor : {std::optional<double>{}, std::optional<double>{0.0}}) {
    EXPECT_EQ(field(written(thread_key(2), ok_result(), rusage{}, 100.0, floor), "bare_ratio"), "");
  }
}

TEST(ResultRow, TheBaseRowItselfHasSpeedupOne) {
  // The runner has no base yet when it writes the base's own row: the row knows it is its own base.
  const CellKey base{"parallel", "cpu", "sequential", 1, 8, Params::parse("items=64;work=10")};
  const auto row = written(base, ok_result(), rusage{}, std::nullopt, std::nullopt, /*own_base=*/true);
  EXPECT_EQ(field(row, "speedup"), "1");
  EXPECT_EQ(field(row, "efficiency"), "1");
}

TEST(ResultRow, SequentialAtMoreCoresIsNotItsOwnBase) {
  // The runner asks the key (CellKey::speedup_base) whether a row is its own base.
  const CellKey base{"parallel", "cpu", "sequential", 1, 8, Params::parse("items=64;work=10")};
  const CellKey two_cores{"parallel", "cpu", "sequential", 2, 8, Params::parse("items=64;work=10")};
  EXPECT_EQ(base.speedup_base(), base);
  EXPECT_NE(two_cores.speedup_base(), two_cores);
  EXPECT_EQ(field(written(two_cores, ok_result(), rusage{}, std::nullopt), "speedup"), "");
}

TEST(ResultRow, FailedResultHasNoThroughputColumns) {
  auto result = ok_result();
  result.status = Status::failed;
  result.verified = false;
  result.reason = "verification failed: checksum 0x1, expected 0x2";
  const auto row = written(thread_key(2), result, rusage{}, 100.0, 400.0);
  EXPECT_EQ(field(row, "status"), "failed");
  EXPECT_EQ(field(row, "reason"), result.reason);
  EXPECT_EQ(field(row, "verified"), "false");
  for (const char* column : {"repetitions", "real_time_s", "cpu_time_s", "items_per_s", "items_per_s_stddev", "cv",
                             "speedup", "efficiency", "bare_ratio"}) {
    EXPECT_EQ(field(row, column), "") << column;
  }
  EXPECT_TRUE(repetition_rows(run_columns(), thread_key(2), result).empty());
}

TEST(ResultRow, RunMachineAndKeyColumns) {
  rusage usage{};
  usage.ru_nvcsw = 7;
  usage.ru_nivcsw = 3;
  usage.ru_maxrss = 4096;
  const auto row = written(thread_key(2), ok_result(), usage, std::nullopt);
  EXPECT_EQ(field(row, "schema"), "2");
  EXPECT_EQ(field(row, "run_id"), "host-20260101T000000Z");
  EXPECT_EQ(field(row, "machine_id"), "0123456789abcdef");
  EXPECT_EQ(field(row, "cpus"), "4");  // the affinity set, not the machine's CPU count
  EXPECT_EQ(field(row, "workload"), "parallel");
  EXPECT_EQ(field(row, "cores"), "2");
  EXPECT_EQ(field(row, "tasks"), "8");
  EXPECT_EQ(field(row, "params"), "items=64;work=10");
  EXPECT_EQ(field(row, "workers"), "8");
  EXPECT_EQ(field(row, "ctx_switches_vol"), "7");
  EXPECT_EQ(field(row, "ctx_switches_invol"), "3");
  EXPECT_EQ(field(row, "max_rss_kb"), "4096");
  EXPECT_EQ(field(row, "metrics"), "mapping=thread-per-task;tick_ns=2.1");
  EXPECT_EQ(field(row, "iterations"), "10") << "its own column: the runs per repetition";
  EXPECT_THAT(field(row, "timestamp"), ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"));
}

TEST(ResultRow, EveryColumnIsInTheSchema) {
  // The appender throws logic_error for a column the header lacks: rows must only use schema columns.
  const auto& columns = schema::results_columns();
  for (const auto& [column, value] : written(thread_key(2), ok_result(), rusage{}, 1.0)) {
    EXPECT_NE(std::find(columns.begin(), columns.end(), column), columns.end()) << column;
  }
  const auto& rep_columns = schema::repetitions_columns();
  for (const auto& row : repetition_rows(run_columns(), thread_key(2), ok_result())) {
    for (const auto& [column, value] : row) {
      EXPECT_NE(std::find(rep_columns.begin(), rep_columns.end(), column), rep_columns.end()) << column;
    }
  }
}

TEST(RepetitionRows, OneRowPerRepetitionInOrder) {
  const auto rows = repetition_rows(run_columns(), thread_key(2), ok_result());
  ASSERT_EQ(rows.size(), 3u);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(field(rows[i], "repetition"), std::to_string(i));
    EXPECT_EQ(key_of(rows[i]), thread_key(2));
  }
  EXPECT_DOUBLE_EQ(number(rows[1], "items_per_s"), 300);
  EXPECT_EQ(field(rows[1], "iterations"), "10");
}

TEST(MetricRows, NumericMetricsInLongFormWithTheirUnits) {
  auto result = ok_result();
  result.metrics["ns_per_switch"] = "5.02";
  result.metrics["unheard_of"] = "7";
  result.metrics["primitive"] = "fiber-yield";
  result.metrics["empty"] = "";
  const auto rows = metric_rows(run_columns(), thread_key(2), result);
  ASSERT_EQ(rows.size(), 3u) << "text and empty values stay in results.csv's metrics only";
  std::map<std::string, std::pair<std::string, std::string>> got;
  for (const auto& row : rows) {
    EXPECT_EQ(key_of(row), thread_key(2));
    got[field(row, "metric")] = {field(row, "value"), field(row, "unit")};
  }
  EXPECT_EQ(got["ns_per_switch"], std::make_pair(std::string("5.02"), std::string("ns")));
  EXPECT_EQ(got["tick_ns"], std::make_pair(std::string("2.1"), std::string("ns")));
  EXPECT_EQ(got["unheard_of"], std::make_pair(std::string("7"), std::string())) << "no unit rather than a wrong one";
  const auto& columns = schema::metrics_columns();
  for (const auto& [column, value] : rows.front()) {
    EXPECT_NE(std::find(columns.begin(), columns.end(), column), columns.end()) << column;
  }
}

TEST(KeyOf, RoundTripsKeyColumns) {
  for (const auto& key : {thread_key(2), CellKey{"selftest", "ok", "sequential", 1, 2, {}}}) {
    EXPECT_EQ(key_of(key_columns(key)), key) << key.label();
  }
}

TEST(KeyOf, MalformedRowsThrowInvalidArgument) {
  auto row = key_columns(thread_key(2));
  row.erase("model");
  EXPECT_THROW(key_of(row), std::invalid_argument);
  row = key_columns(thread_key(2));
  row["cores"] = "two";
  EXPECT_THROW(key_of(row), std::invalid_argument);
  row = key_columns(thread_key(2));
  row["params"] = "items";
  EXPECT_THROW(key_of(row), std::invalid_argument);
}

TEST(FormatNumber, SixSignificantDigitsWithADot) {
  EXPECT_EQ(format_number(0.5), "0.5");
  EXPECT_EQ(format_number(35288.25), "35288.2");
  EXPECT_EQ(format_number(1234567), "1.23457e+06");
}

TEST(Taxonomy, Quadrants) {
  const auto& sequential = *find_model("sequential");
  const auto& thread = *find_model("thread");
  EXPECT_EQ(taxonomy(sequential, 1, 8, 1), "serial-sequential");
  EXPECT_EQ(taxonomy(thread, 1, 8, 8), "serial-concurrent");  // many threads, one core
  EXPECT_EQ(taxonomy(thread, 2, 8, 8), "parallel-concurrent");
  EXPECT_EQ(taxonomy(thread, 2, 1, 1), "serial-sequential");  // one task: nothing concurrent
  EXPECT_EQ(taxonomy(thread, 2, 8, 1), "serial-concurrent");  // one worker cannot run two at once
}

TEST(Taxonomy, ResultRowNamesTheQuadrant) {
  EXPECT_EQ(field(written(thread_key(1), ok_result(), rusage{}, 1.0), "taxonomy"), "serial-concurrent");
  EXPECT_EQ(field(written(thread_key(2), ok_result(), rusage{}, 1.0), "taxonomy"), "parallel-concurrent");
}

}  // namespace
}  // namespace concbench
