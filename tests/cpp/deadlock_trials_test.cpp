// A cell whose monitor reports a deadlock gets `status=deadlock` (the process cannot join its tasks, so the
// child writes its row from the monitor and ends), and --trials turns chance into a share. The hidden
// selftest/deadlock variant deadlocks on odd seeds, so the share of trials is known in advance.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/concbench_process.hpp"

namespace concbench::testing {
namespace {

using ::testing::HasSubstr;

Finished run_deadlock_cells(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{"--workloads",
                                "selftest/deadlock",
                                "--models",
                                "sequential,thread",
                                "--cores",
                                "1",
                                "--out",
                                (dir / "out").string(),
                                "--benchmark_min_time=0.01",
                                "--benchmark_repetitions=1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_concbench(args, dir);
}

TEST(DeadlockTrials, ReportedDeadlockIsARowNotAFailure) {
  TempDir dir;
  const auto finished = run_deadlock_cells(dir, {"--trials", "1"});
  EXPECT_EQ(finished.exit_code, 0) << "a deadlock is a result, not a harness failure: " << finished.err;
  const auto rows = results(only_run_dir(dir / "out")).rows;
  ASSERT_EQ(rows.size(), 2u) << finished.err;
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("status"), "deadlock");
    EXPECT_THAT(row.at("reason"), HasSubstr("selftest deadlock on purpose (seed 1)"));
    EXPECT_EQ(row.at("items_per_s"), "") << "a deadlocked cell has no throughput";
    EXPECT_THAT(row.at("metrics"), HasSubstr("deadlock_share=1"));
  }
}

TEST(DeadlockTrials, ShareCountsTheTrialsThatDeadlocked) {
  TempDir dir;
  // Seeds 1, 2, 3, 4: trials 0 and 2 deadlock.
  const auto finished = run_deadlock_cells(dir, {"--trials", "4"});
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  const auto rows = results(only_run_dir(dir / "out")).rows;
  ASSERT_EQ(rows.size(), 2u) << finished.err;
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("status"), "deadlock");
    EXPECT_THAT(row.at("reason"), HasSubstr("deadlocked in 2 of 4 trials"));
    EXPECT_THAT(row.at("metrics"), HasSubstr("deadlock_share=0.5"));
    EXPECT_THAT(row.at("metrics"), HasSubstr("trials=4"));
    EXPECT_EQ(row.at("params"), "seed=1") << "the row keeps the key's own seed";
  }
}

TEST(DeadlockTrials, NoDeadlockInAnyTrialIsOkWithShareZero) {
  TempDir dir;
  const auto finished = run_deadlock_cells(dir, {"--trials", "1", "--set", "seed=2"});
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  const auto rows = results(only_run_dir(dir / "out")).rows;
  ASSERT_EQ(rows.size(), 2u) << finished.err;
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("status"), "ok") << row.at("reason");
    EXPECT_NE(row.at("items_per_s"), "");
    EXPECT_THAT(row.at("metrics"), HasSubstr("deadlock_share=0"));
  }
}

TEST(DeadlockTrials, BadTrialCountIsRefused) {
  TempDir dir;
  for (const char* bad : {"0", "-1", "many"}) {
    const auto finished = run_deadlock_cells(dir, {"--trials", bad});
    EXPECT_EQ(finished.exit_code, 2) << bad;
    EXPECT_THAT(finished.err, HasSubstr("--trials")) << bad;
  }
}

TEST(DeadlockTrials, ForcedPhilosophersDeadlockIsDetectedOnEveryModel) {
  // A 20 ms pause after the first fork: every philosopher holds its left fork before any reaches for its
  // right one, on every model that keeps several tasks in progress. The monitor (or the coroutine models'
  // own check) must end each cell as `deadlock` long before the 20 s watchdog would say `timeout`.
  TempDir dir;
  const auto finished =
      run_concbench({"--workloads", "philosophers/naive", "--cores", "1", "--trials", "1", "--set", "gap_us=20000",
                     "--set", "deadlock_ms=100", "--set", "meals=2", "--timeout", "20", "--out", (dir / "out").string(),
                     "--benchmark_min_time=0.01", "--benchmark_repetitions=1"},
                    dir);
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  const auto rows = results(only_run_dir(dir / "out")).rows;
  ASSERT_GE(rows.size(), 8u) << finished.err;
  for (const auto& row : rows) {
    const auto& model = row.at("model");
    if (model == "sequential") {
      EXPECT_EQ(row.at("status"), "ok") << "one philosopher at a time cannot deadlock: " << row.at("reason");
    } else if (model == "tbb") {
      EXPECT_EQ(row.at("status"), "unsupported") << "5 TBB tasks that block cannot interleave on 1 thread";
    } else if (row.at("status") == "unsupported") {
      // Only a peer this build has no program for (go without golang-go) may stay out.
      EXPECT_THAT(row.at("reason"), HasSubstr("not found (install golang-go")) << model;
    } else {
      EXPECT_EQ(row.at("status"), "deadlock") << model << ": " << row.at("reason");
      EXPECT_THAT(row.at("metrics"), HasSubstr("deadlock_share=1")) << model;
    }
  }
}

}  // namespace
}  // namespace concbench::testing
