// The `convoy` workload (benchmarks/convoy/): every round trip comes back, alone and beside a CPU task,
// on the models whose tasks are threads (the global-lock ones included).
#include "convoy/convoy.hpp"

#include <gtest/gtest.h>

#include "models/gil/settings.hpp"
#include "registry.hpp"

namespace concbench {
namespace {

class ConvoyOnModel : public ::testing::TestWithParam<const char*> {};

TEST_P(ConvoyOnModel, EveryRoundTripComesBackAloneAndBesideACpuTask) {
  gil::configure({std::chrono::microseconds(500), 100, 2.0});  // short interval: the test stays fast
  for (const auto& [variant, tasks] : {std::pair{"alone", 1}, std::pair{"beside-cpu", 2}}) {
    const CellKey key{"convoy", variant, GetParam(), 2, tasks, Params::parse("ops=50")};
    auto setup = find_workload("convoy")->make(key);
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
