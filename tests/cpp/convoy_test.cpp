// The `convoy` workload (benchmarks/convoy/): every round trip comes back, alone and beside a CPU task,
// on the models whose tasks are threads (the global-lock ones included); and beside a CPU task, the global
// lock really is the CPU task's for most of every run — the convoy the workload exists to show.
#include "benchmarks/convoy/convoy.hpp"

#include <string>

#include <gtest/gtest.h>

#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"
#include "tests/cpp/cell_test_support.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

class ConvoyOnModel : public ::testing::TestWithParam<const char*> {};

TEST_P(ConvoyOnModel, EveryRoundTripComesBackAloneAndBesideACpuTask) {
  for (const auto& [variant, tasks] : {std::pair{"alone", 1}, std::pair{"beside-cpu", 2}}) {
    const CellKey key{"convoy", variant, GetParam(), 2, tasks, Params::parse("ops=50")};
    auto setup = testing::make_cell(key, testing::kFastGil);  // short interval: the test stays fast
    ASSERT_TRUE(setup.run) << setup.unsupported;
    EXPECT_EQ(setup.run->items_per_run(), 50);
    setup.run->run_once();
    setup.run->run_once();
    const auto verdict = setup.run->verify();
    EXPECT_TRUE(verdict.ok) << variant << ": " << verdict.reason;
    EXPECT_EQ(setup.run->figures().workers.workers, GetParam() == std::string("sequential") ? 1 : tasks);
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ConvoyOnModel, ::testing::Values("sequential", "thread", "gil", "gil-legacy"));

/// The structural checks behind the convoy effect, from the model's own counters, never from how long
/// anything took. A run whose round trips began before the CPU task held the lock showed no convoy at all
/// (the I/O task could finish before the CPU task's thread was even scheduled): under `gil`, every run's round
/// trips must begin only after the I/O task has asked the CPU task for the lock and the CPU task has dropped
/// it — one forced drop per run at least. A single round trip per run makes the old start-up race as
/// likely as it gets: the I/O task used to be done before the CPU task held the lock in most runs.
TEST(ConvoyBesideCpu, UnderGilEveryRunStartsWithTheCpuTaskHoldingTheLock) {
  constexpr int kRuns = 20;
  const CellKey key{"convoy", "beside-cpu", "gil", 2, 2, Params::parse("ops=1")};
  auto setup = testing::make_cell(key, "gil_interval_us=2000");
  ASSERT_TRUE(setup.run) << setup.unsupported;
  for (int run = 0; run < kRuns; ++run) {
    const auto before = std::stoll(model_process_metrics("gil").at("forced_drops"));
    setup.run->run_once();
    EXPECT_GE(std::stoll(model_process_metrics("gil").at("forced_drops")), before + 1)
        << "run " << run << ": the I/O task never had to ask the CPU task for the lock";
  }
  EXPECT_TRUE(setup.run->verify().ok);
}

TEST(ConvoyMetrics, OnlyGlobalLockModelsBesideACpuTaskReportTheLockShare) {
  for (const auto& [model, variant, tasks] : {std::tuple{"thread", "beside-cpu", 2}, std::tuple{"gil", "alone", 1}}) {
    const CellKey key{"convoy", variant, model, 2, tasks, Params::parse("ops=20")};
    auto setup = testing::make_cell(key, testing::kFastGil);
    ASSERT_TRUE(setup.run) << setup.unsupported;
    setup.run->run_once();
    EXPECT_FALSE(setup.run->figures().metrics.contains("cpu_lock_share")) << model << " " << variant;
  }
}

TEST(ConvoyPlan, TasksAreFixedByTheVariant) {
  const auto* convoy = find_workload("convoy");
  ASSERT_NE(convoy, nullptr);
  for (const auto& spec : convoy->params) {
    if (spec.name != "tasks") continue;
    EXPECT_THROW(spec.validate("3"), std::invalid_argument);
  }
}

}  // namespace
}  // namespace concbench
