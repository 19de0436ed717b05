// The global-lock models as the real binary runs them (issue 21): the cell's settings reach the model in the
// cell's own process, and the lock's counters move as those settings say. Counters and shares, never times.
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "concbench_process.hpp"

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
  // Two CPU-bound tasks on one core: the lock changes hands about once per interval. Were the cell's interval
  // not handed to the model, both cells would run with the default and switch alike.
  auto rows = run_by_params({"--workloads", "parallel/cpu", "--models", "gil", "--cores", "1", "--set", "tasks=2",
                             "--set", "items=64", "--gil-interval", "1,50", "--benchmark_min_time=0.2"});
  const auto& fast = rows["cpu|gil_interval_us=1000;items=64;work=10000"];
  const auto& slow = rows["cpu|gil_interval_us=50000;items=64;work=10000"];
  ASSERT_FALSE(fast.empty() || slow.empty());
  EXPECT_GT(metric(fast, "gil_switches_per_s"), 5 * metric(slow, "gil_switches_per_s"))
      << "1 ms against 50 ms: ~50 times as many switches a second";
  EXPECT_GT(metric(fast, "forced_drops"), 0);
}

TEST(GilBinary, TheLegacyLockIsReleasedEveryCheckPeriod) {
  // The same work with a check interval 10 times as long: 10 times fewer forced releases. Fixed iterations, so
  // both cells run the same ticks (warm-up run included).
  auto rows = run_by_params({"--workloads", "parallel/cpu", "--models", "gil-legacy", "--cores", "1", "--set",
                             "tasks=2", "--set", "items=64", "--set", "gil_check_interval=100,1000",
                             "--benchmark_min_time=3x"});
  const auto& often = rows["cpu|gil_check_interval=100;items=64;work=10000"];
  const auto& rarely = rows["cpu|gil_check_interval=1000;items=64;work=10000"];
  ASSERT_FALSE(often.empty() || rarely.empty());
  EXPECT_LT(metric(often, "check_period_ticks"), metric(rarely, "check_period_ticks"));
  const double ratio = metric(often, "forced_drops") / metric(rarely, "forced_drops");
  const double expected = metric(rarely, "check_period_ticks") / metric(often, "check_period_ticks");
  EXPECT_NEAR(ratio, expected, 0.3 * expected) << "forced releases = ticks / period";
}

TEST(GilBinary, BesideACpuTaskTheIoTaskWaitsForTheLockWhichTheCpuTaskHolds) {
  // The convoy, from the lock's own counters: beside a CPU task the CPU task holds the lock most of each run
  // on `gil`, and the row says so for every run (its least share), not only for a lucky one.
  auto rows = run_by_params({"--workloads", "convoy/beside-cpu", "--models", "gil", "--cores", "2", "--quick"});
  ASSERT_EQ(rows.size(), 1u);
  const auto& row = rows.begin()->second;
  EXPECT_GT(metric(row, "cpu_lock_share_min"), 0.5) << row.at("metrics");
  EXPECT_GT(metric(row, "gil_takes"), 0);
}

}  // namespace
}  // namespace concbench::testing
