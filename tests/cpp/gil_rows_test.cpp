// Every row of a global-lock model carries the lock's counters, whatever the workload (the model's process
// metrics, merged into each row by the cell's process), and convoy's beside-cpu rows the CPU task's lock
// share (docs/gil.md, docs/csv-schema.md). Structure only: which keys, never their values' size.
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/cpp/concbench_process.hpp"

namespace concbench::testing {
namespace {

std::map<std::string, std::string> metrics_of(const std::string& field) {
  std::map<std::string, std::string> metrics;
  std::istringstream in(field);
  for (std::string pair; std::getline(in, pair, ';');) {
    const auto eq = pair.find('=');
    if (eq != std::string::npos) metrics[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return metrics;
}

TEST(GilRows, EveryWorkloadRowCarriesTheLockCounters) {
  TempDir dir;
  const auto out = dir / "out";
  const auto finished =
      run_concbench({"--workloads", "parallel/cpu,prodcons/1x1,philosophers/ordered,convoy,counter/atomic", "--models",
                     "gil,gil-legacy", "--cores", "1", "--quick", "--gil-interval", "1", "--out", out.string()},
                    dir);
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  const auto run_dir = only_run_dir(out);
  ASSERT_FALSE(run_dir.empty());
  const auto table = results(run_dir);
  ASSERT_EQ(table.rows.size(), 12u);  // 6 cells (convoy has two variants) on each of the two models
  for (const auto& row : table.rows) {
    SCOPED_TRACE(row.at("workload") + "/" + row.at("variant") + " " + row.at("model"));
    ASSERT_EQ(row.at("status"), "ok") << row.at("reason");
    const auto metrics = metrics_of(row.at("metrics"));
    for (const char* key :
         {"gil_switches_per_s", "forced_drops", "voluntary_drops", "gil_takes", "mean_wait_us", "tick_ns"}) {
      EXPECT_TRUE(metrics.contains(key)) << key << " missing from " << row.at("metrics");
    }
    EXPECT_EQ(metrics.contains("check_period_ticks"), row.at("model") == "gil-legacy");
    const bool beside = row.at("workload") == "convoy" && row.at("variant") == "beside-cpu";
    EXPECT_EQ(metrics.contains("cpu_lock_share"), beside);
    EXPECT_EQ(metrics.contains("cpu_lock_share_min"), beside);
    if (beside) {
      EXPECT_GE(std::stod(metrics.at("cpu_lock_share_min")), 0.0);
      EXPECT_LE(std::stod(metrics.at("cpu_lock_share")), 1.0);
    }
  }
}

}  // namespace
}  // namespace concbench::testing
