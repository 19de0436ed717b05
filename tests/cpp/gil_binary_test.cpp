// The global-lock models as the real binary runs them (issue 21): the cell's settings reach the model in the
// cell's own process, and the lock's counters move as those settings say. Counters and shares, never times.
#include <fstream>
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cpp/concbench_process.hpp"

namespace concbench::testing {
namespace {

/// `key=value` of a row's `metrics`, as a number.
double metric(const csv::Row& row, const std::string& key) {
  const auto& text = row.at("metrics");
  const auto at = text.find(key + "=");
  if (at == std::string::npos) {
    ADD_FAILURE() << "no metric " << key << " in " << text;
    return 0;
  }
  return std::stod(text.substr(at + key.size() + 1));
}

/// The rows of one run, by their `params`.
std::map<std::string, csv::Row> run_by_params(const std::vector<std::string>& args) {
  TempDir dir;
  const auto out = dir / "out";
  auto all = args;
  all.insert(all.end(), {"--out", out.string(), "--benchmark_repetitions=2"});
  const auto finished = run_concbench(all, dir);
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  std::map<std::string, csv::Row> rows;
  for (const auto& row : results(only_run_dir(out)).rows) {
    EXPECT_EQ(row.at("status"), "ok") << row.at("params") << ": " << row.at("reason");
    rows[row.at("variant") + "|" + row.at("params")] = row;
  }
  return rows;
}

TEST(GilBinary, TheSwitchIntervalReachesTheModelAndSetsHowOftenItSwitches) {
  // Two CPU-bound tasks on one core, each ~30 ms of ticks a run, the same runs in both cells (fixed
  // iterations): at 1 ms the waiting task asks for the lock about once a millisecond and the holder drops it
  // at its next tick; at 50 ms a task ends before anyone asks. Were the cell's interval not handed to the
  // model in the cell's process, both cells would run with the default 5 ms and drop alike.
  auto rows = run_by_params({"--workloads", "parallel/cpu", "--models", "gil", "--cores", "1", "--set", "tasks=2",
                             "--gil-interval", "1,50", "--benchmark_min_time=2x"});
  const auto& fast = rows["cpu|gil_interval_us=1000;items=2048;work=10000"];
  const auto& slow = rows["cpu|gil_interval_us=50000;items=2048;work=10000"];
  ASSERT_FALSE(fast.empty() || slow.empty());
  EXPECT_GE(metric(fast, "forced_drops"), 10);
  EXPECT_GT(metric(fast, "forced_drops"), 5 * metric(slow, "forced_drops")) << "forced releases follow the interval";
  for (const auto* row : {&fast, &slow}) EXPECT_EQ(metric(*row, "holder_overlaps"), 0) << "one holder at a time";
}

TEST(GilBinary, TheLegacyLockIsReleasedEveryCheckPeriod) {
  // The same runs (fixed iterations) with a check interval 10 times as long: forced releases are the ticks
  // over the check period. The ticks are the work over each cell's own rounds_per_tick (calibrated in its
  // process), so the product forced_drops × period × rounds_per_tick is the work, the same in both cells.
  auto rows = run_by_params({"--workloads", "parallel/cpu", "--models", "gil-legacy", "--cores", "1", "--set",
                             "tasks=2", "--set", "gil_check_interval=100,1000", "--benchmark_min_time=2x"});
  const auto& often = rows["cpu|gil_check_interval=100;items=2048;work=10000"];
  const auto& rarely = rows["cpu|gil_check_interval=1000;items=2048;work=10000"];
  ASSERT_FALSE(often.empty() || rarely.empty());
  EXPECT_LT(metric(often, "check_period_ticks"), metric(rarely, "check_period_ticks"));
  const auto work = [](const csv::Row& row) {
    return metric(row, "forced_drops") * metric(row, "check_period_ticks") * metric(row, "rounds_per_tick");
  };
  EXPECT_GE(metric(rarely, "forced_drops"), 10);
  EXPECT_NEAR(work(often) / work(rarely), 1.0, 0.3) << "forced releases = ticks / period";
  for (const auto* row : {&often, &rarely}) EXPECT_EQ(metric(*row, "holder_overlaps"), 0) << "one holder at a time";
}

TEST(GilBinary, BesideACpuTaskTheIoTaskWaitsForTheLock) {
  // The convoy, from the lock's own counters: alone, the I/O task takes a free lock back after each round
  // trip; beside a CPU task each take waits for the CPU task to be asked to drop it (up to an interval).
  auto rows = run_by_params({"--workloads", "convoy", "--models", "gil", "--cores", "2", "--quick"});
  const auto& alone = rows["alone|gil_interval_us=5000;ops=50"];
  const auto& beside = rows["beside-cpu|gil_interval_us=5000;ops=50"];
  ASSERT_FALSE(alone.empty() || beside.empty());
  EXPECT_GT(metric(beside, "forced_drops"), 0) << "the CPU task was asked to drop the lock";
  EXPECT_GT(metric(beside, "mean_wait_us"), 20 * metric(alone, "mean_wait_us")) << beside.at("metrics");
}

TEST(GilBinary, TheCalibratedTickReachesTheModelInTheCell) {
  // The run calibrates one bytecode of the real interpreter (machine.json's calibration) and every gil cell
  // ticks with it (the row's tick_ns): the calibration travels from the runner to the model through the cell's
  // context. Without a Python 3 to measure, the tick is the default, which a model that dropped the
  // calibration would use as well: nothing to tell apart, so the test skips.
  TempDir dir;
  const auto out = dir / "out";
  const auto finished = run_concbench({"--workloads", "parallel/cpu", "--models", "gil", "--cores", "1", "--quick",
                                       "--set", "tasks=2", "--benchmark_min_time=2x", "--out", out.string()},
                                      dir);
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  const auto run_dir = only_run_dir(out);
  std::ifstream machine_file(run_dir / "machine.json");
  const auto calibration = nlohmann::json::parse(machine_file).at("calibration");
  if (calibration.at("gil_tick_source") == "default") GTEST_SKIP() << "no interpreter to calibrate the tick";
  const double calibrated = std::stod(calibration.at("gil_tick_ns").get<std::string>());
  const auto rows = results(run_dir).rows;
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) EXPECT_DOUBLE_EQ(metric(row, "tick_ns"), calibrated) << row.at("metrics");
}

}  // namespace
}  // namespace concbench::testing
