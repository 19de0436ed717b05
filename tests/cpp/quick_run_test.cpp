// A quick real run of the `parallel` workload: the structure of every output file (never the speed).
#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/report/csv.hpp"
#include "harness/report/schema.hpp"
#include "tests/cpp/concbench_process.hpp"

namespace concbench::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);  // throws (failing the test) when malformed
}

TEST(QuickRun, ParallelOnSequentialAndThread) {
  TempDir dir;
  const auto out = dir / "out";
  const bool two_cores = usable_cpus() >= 2;
  const auto finished = run_concbench({"--workloads", "parallel", "--models", "sequential,thread", "--cores",
                                       two_cores ? "1,2" : "1", "--quick", "--out", out.string()},
                                      dir);
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  const auto run_dir = only_run_dir(out);
  ASSERT_FALSE(run_dir.empty());
  EXPECT_EQ(finished.last_out_line(), run_dir.string());

  const auto table = results(run_dir);
  EXPECT_EQ(table.header, schema::results_columns());
  // Per variant (cpu, io): sequential at 1 core, then thread at each core count.
  ASSERT_EQ(table.rows.size(), two_cores ? 6u : 4u);
  for (const auto& row : table.rows) {
    SCOPED_TRACE(row.at("variant") + " " + row.at("model") + " cores=" + row.at("cores"));
    EXPECT_EQ(row.at("status"), "ok") << row.at("reason");
    EXPECT_EQ(row.at("verified"), "true");
    EXPECT_EQ(row.at("schema"), "2");
    EXPECT_EQ(row.at("run_id"), run_dir.filename().string());
    EXPECT_EQ(row.at("repetitions"), "3");  // the --quick default
    EXPECT_GT(std::stod(row.at("items_per_s")), 0);
    EXPECT_EQ(row.at("items"), "64");
    EXPECT_GT(std::stoll(row.at("iterations")), 0);
    if (row.at("model") == "sequential") {
      EXPECT_EQ(row.at("cores"), "1");
      // The base row itself: speedup 1 by definition (docs/csv-schema.md).
      EXPECT_EQ(row.at("speedup"), "1");
      EXPECT_EQ(row.at("efficiency"), "1");
      EXPECT_EQ(row.at("taxonomy"), "serial-sequential");
    } else {
      EXPECT_NE(row.at("speedup"), "");
      EXPECT_NE(row.at("efficiency"), "");
      EXPECT_THAT(row.at("metrics"), HasSubstr("mapping=thread-per-task"));
    }
  }

  // repetitions.csv: `repetitions` rows per cell, indexed from 0.
  const auto reps = repetitions(run_dir);
  EXPECT_EQ(reps.header, schema::repetitions_columns());
  std::map<std::string, std::vector<std::string>> indices;
  for (const auto& rep : reps.rows) {
    indices[rep.at("variant") + "|" + rep.at("model") + "|" + rep.at("cores")].push_back(rep.at("repetition"));
  }
  EXPECT_EQ(indices.size(), table.rows.size());
  for (const auto& row : table.rows) {
    EXPECT_THAT(indices[row.at("variant") + "|" + row.at("model") + "|" + row.at("cores")],
                ::testing::ElementsAre("0", "1", "2"));
  }

  // Every repetition of a cell ran the iterations its row says.
  for (const auto& rep : reps.rows) {
    for (const auto& row : table.rows) {
      const bool same_cell = std::all_of(schema::key_columns().begin(), schema::key_columns().end(),
                                         [&](const std::string& column) { return row.at(column) == rep.at(column); });
      if (same_cell) {
        EXPECT_EQ(rep.at("iterations"), row.at("iterations"));
      }
    }
  }

  // machine.json describes the machine of the rows; benchmark.json holds every cell's runs.
  ASSERT_GT(fs::file_size(run_dir / "machine.json"), 0u);
  const auto machine = read_json(run_dir / "machine.json");
  EXPECT_EQ(machine.at("machine_id"), table.rows.front().at("machine_id"));
  EXPECT_EQ(machine.at("run_id"), run_dir.filename().string());
  // The machine's state at the start, every check with its level (report/system_check.hpp).
  ASSERT_TRUE(machine.at("system").is_array());
  EXPECT_EQ(machine.at("system").size(), 7u);
  for (const auto& check : machine.at("system")) {
    EXPECT_THAT((std::vector<std::string>{"ok", "note", "warning"}), ::testing::Contains(check.at("level")));
    EXPECT_FALSE(check.at("state").get<std::string>().empty()) << check.at("check");
  }
  ASSERT_GT(fs::file_size(run_dir / "benchmark.json"), 0u);
  const auto benchmark = read_json(run_dir / "benchmark.json");
  EXPECT_TRUE(benchmark.at("context").is_object());
  EXPECT_GE(benchmark.at("benchmarks").size(), 3 * table.rows.size());  // at least each repetition
}

TEST(QuickRun, EachModelRowWithAFloorHasItsRatioToIt) {
  TempDir dir;
  const auto out = dir / "out";
  const auto finished = run_concbench({"--workloads", "pingpong,counter/atomic", "--models",
                                       "sequential,coroutine,bare", "--cores", "1", "--quick", "--out", out.string()},
                                      dir);
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  const auto table = results(only_run_dir(out));
  std::map<std::string, double> floors;  // workload/variant|primitive -> the floor's items/s
  int compared = 0;
  for (const auto& row : table.rows) {
    SCOPED_TRACE(row.at("workload") + "/" + row.at("variant") + " " + row.at("model"));
    const auto metrics = row.at("metrics") + ";" + row.at("params");
    const auto at = metrics.find("primitive=");
    const auto primitive = at == std::string::npos ? "" : metrics.substr(at + 10, metrics.find(';', at) - at - 10);
    const auto group = row.at("workload") + "/" + row.at("variant") + "|" + primitive;
    if (row.at("model") == "bare") {
      EXPECT_EQ(row.at("bare_ratio"), "") << "a floor has no ratio to itself";
      floors[group] = std::stod(row.at("items_per_s"));
    } else if (row.at("model") == "sequential") {
      EXPECT_EQ(row.at("bare_ratio"), "") << "sequential has no library floor";
    } else {
      ASSERT_TRUE(floors.contains(group)) << "the floor is planned before its model rows";
      EXPECT_NEAR(std::stod(row.at("bare_ratio")), std::stod(row.at("items_per_s")) / floors[group], 1e-4);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 2) << "coroutine's pingpong and counter/atomic rows";
}

TEST(QuickRun, NumericMetricsInLongFormEachWithAUnit) {
  TempDir dir;
  const auto out = dir / "out";
  const auto finished = run_concbench(
      {"--workloads", "pingpong,spawn", "--models", "gil,tbb", "--cores", "1", "--quick", "--out", out.string()}, dir);
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  const auto run_dir = only_run_dir(out);
  const auto metrics = csv::read_file(run_dir / "metrics.csv");
  EXPECT_EQ(metrics.header, schema::metrics_columns());
  std::set<std::string> names;
  for (const auto& row : metrics.rows) {
    SCOPED_TRACE(row.at("metric"));
    names.insert(row.at("metric"));
    EXPECT_NE(row.at("unit"), "") << "every metric a cell writes has its unit (report/metric_units.cpp)";
    EXPECT_NO_THROW((void)std::stod(row.at("value")));
  }
  // The global lock's counters, pingpong's ns per switch and spawn's memory figure, all numeric.
  for (const char* name : {"gil_takes", "ns_per_switch", "peak_rss_bytes_per_task", "tick_ns"}) {
    EXPECT_TRUE(names.contains(name)) << name;
  }
  EXPECT_FALSE(names.contains("mapping")) << "text metrics stay in results.csv";
}

}  // namespace
}  // namespace concbench::testing
