// How long cells are expected to take before they run (app/runner/estimate.hpp) and the progress line.
#include "app/runner/estimate.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/runner/progress.hpp"

namespace concbench {
namespace {

RunOptions options_with(std::vector<std::string> flags, double budget_s, int trials = 1) {
  RunOptions options;
  options.plan = {{"parallel", "cpu", "thread", 1, 8, {}}, {"philosophers", "naive", "thread", 2, 5, {}}};
  options.gbench_flags = std::move(flags);
  options.cell_budget_s = budget_s;
  options.trials = trials;
  return options;
}

TEST(ExpectedCellSeconds, RepetitionsOfMinTimeAfterAStart) {
  const auto seconds =
      expected_cell_seconds(options_with({"--benchmark_repetitions=5", "--benchmark_min_time=0.1"}, 0));
  ASSERT_EQ(seconds.size(), 2U);
  EXPECT_NEAR(seconds[0] - seconds[1], 0, 1e-12) << "one trial: the same for both";
  EXPECT_GT(seconds[0], 0.5) << "five repetitions of at least 0.1 s, and the child's start";
}

TEST(ExpectedCellSeconds, TheBudgetCapsRepetitionsAndTrialsMultiply) {
  const auto capped =
      expected_cell_seconds(options_with({"--benchmark_repetitions=50", "--benchmark_min_time=1"}, 2, 3));
  const auto uncapped =
      expected_cell_seconds(options_with({"--benchmark_repetitions=50", "--benchmark_min_time=1"}, 0, 3));
  EXPECT_LT(capped[0], 3.0) << "50 s of repetitions capped at the 2 s budget";
  EXPECT_GT(uncapped[0], 50.0);
  EXPECT_NEAR(capped[1], 3 * capped[0], 1e-9) << "philosophers/naive runs once per trial";
}

TEST(FormatDuration, ReadsLikeAPersonWouldSayIt) {
  EXPECT_EQ(format_duration(42.4), "42 s");
  EXPECT_EQ(format_duration(443), "7 min 23 s");
  EXPECT_EQ(format_duration(3725), "1 h 02 min");
  EXPECT_EQ(format_duration(-1), "0 s");
}

TEST(Progress, BeforeAnyCellEndsTheEstimateIsThePlans) {
  const Progress progress({30.0, 30.0, 3.0}, /*terminal=*/false);
  EXPECT_THAT(progress.timing(), ::testing::MatchesRegex("0:0[0-9] elapsed, ~1 min 03 s left"));
}

}  // namespace
}  // namespace concbench
