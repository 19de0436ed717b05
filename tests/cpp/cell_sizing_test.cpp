#include "app/runner/cell_sizing.hpp"

#include <gtest/gtest.h>

namespace concbench {
namespace {

TEST(CellSizing, IterationsFillTheMinimumTimePerRepetition) {
  EXPECT_EQ(size_cell(0.001, {0.1, {}}, 5, 0).iterations, 100);
  EXPECT_EQ(size_cell(0.003, {0.1, {}}, 5, 0).iterations, 34) << "rounded up: a repetition lasts at least min_time";
  EXPECT_EQ(size_cell(0.5, {0.1, {}}, 5, 0).iterations, 1) << "a run longer than min_time is one iteration";
  EXPECT_EQ(size_cell(0.0, {0.1, {}}, 5, 0).iterations, 100'000'000) << "an unmeasurably short run still ends";
}

TEST(CellSizing, FixedIterationsAreTakenAsTheyAre) {
  EXPECT_EQ(size_cell(0.001, {0, 10}, 5, 0).iterations, 10);
  EXPECT_EQ(size_cell(0.5, {0, 3}, 5, 2.0).repetitions, 2) << "3 x 0.5 s per repetition: the budget still cuts";
}

TEST(CellSizing, MinTimeInEitherSyntax) {
  EXPECT_EQ(parse_min_time("0.5")->seconds, 0.5);
  EXPECT_EQ(parse_min_time("0.5s")->seconds, 0.5) << "Google Benchmark 1.8's unit";
  EXPECT_EQ(parse_min_time("10x")->iterations, 10);
  EXPECT_FALSE(parse_min_time("0.5s")->iterations);
  for (const char* bad : {"", "s", "x", "0", "0s", "-1", "1.5x", "0x", "-2x", "1ms", "ten", "0.5 s", "inf", "nan"}) {
    EXPECT_FALSE(parse_min_time(bad)) << bad;
  }
  EXPECT_EQ(parse_min_time("0", /*zero_ok=*/true)->seconds, 0) << "the warm-up time may be zero";
}

TEST(CellSizing, WithoutABudgetEveryRepetitionAskedForRuns) {
  EXPECT_EQ(size_cell(3.0, {0.1, {}}, 5, 0).repetitions, 5);
}

TEST(CellSizing, TheBudgetCutsRepetitionsButNeverBelowTwo) {
  EXPECT_EQ(size_cell(0.01, {0.1, {}}, 5, 2.0).repetitions, 5) << "5 x 0.1 s fits 2 s";
  EXPECT_EQ(size_cell(0.6, {0.1, {}}, 5, 2.0).repetitions, 3) << "3 x 0.6 s fits, 4 would not";
  EXPECT_EQ(size_cell(2.3, {0.1, {}}, 5, 2.0).repetitions, 2) << "a spread needs two, whatever the budget";
  EXPECT_EQ(size_cell(2.3, {0.1, {}}, 1, 2.0).repetitions, 1) << "never more than asked for";
}

TEST(CellSizing, FlagValuesAreReadByName) {
  const std::vector<std::string> flags{"--benchmark_repetitions=3", "--benchmark_min_time=0.02",
                                       "--benchmark_repetitions=7"};
  EXPECT_EQ(gbench_flag_value(flags, "benchmark_repetitions"), "7") << "the last one wins";
  EXPECT_EQ(gbench_flag_value(flags, "benchmark_min_time"), "0.02");
  EXPECT_EQ(gbench_flag_value(flags, "benchmark_enable_random_interleaving"), std::nullopt);
}

}  // namespace
}  // namespace concbench
