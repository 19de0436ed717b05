// Summary statistics over repetitions (harness/stats/summary.hpp).
#include "harness/stats/summary.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace concbench::stats {
namespace {

TEST(Median, OddCountIsTheMiddleValueOfTheSortedValues) {
  const std::vector<double> values{5, 1, 3};
  EXPECT_DOUBLE_EQ(median(values), 3);
}

TEST(Median, EvenCountIsTheMeanOfTheTwoMiddleValues) {
  const std::vector<double> values{4, 1, 10, 2};
  EXPECT_DOUBLE_EQ(median(values), 3);
}

TEST(Median, DoesNotReorderItsInput) {
  const std::vector<double> values{3, 1, 2};
  median(values);
  EXPECT_EQ(values, (std::vector<double>{3, 1, 2}));
}

TEST(Summarize, MeanSampleStddevAndCv) {
  // Sum of squared deviations is 32 over n - 1 = 7.
  const std::vector<double> values{2, 4, 4, 4, 5, 5, 7, 9};
  const auto summary = summarize(values);
  EXPECT_DOUBLE_EQ(summary.median, 4.5);
  EXPECT_DOUBLE_EQ(summary.mean, 5);
  EXPECT_DOUBLE_EQ(summary.stddev, std::sqrt(32.0 / 7));
  EXPECT_DOUBLE_EQ(summary.cv, std::sqrt(32.0 / 7) / 5);
}

TEST(Summarize, OneValueHasNoSpread) {
  const std::vector<double> values{42};
  const auto summary = summarize(values);
  EXPECT_DOUBLE_EQ(summary.median, 42);
  EXPECT_DOUBLE_EQ(summary.mean, 42);
  EXPECT_EQ(summary.stddev, 0);
  EXPECT_EQ(summary.cv, 0);
}

TEST(Summarize, ZeroMeanGivesZeroCvRatherThanInfinity) {
  const std::vector<double> values{-1, 1};
  const auto summary = summarize(values);
  EXPECT_DOUBLE_EQ(summary.stddev, std::sqrt(2.0));
  EXPECT_EQ(summary.cv, 0);
}

TEST(Summarize, NoValuesThrow) {
  const std::vector<double> none;
  EXPECT_THROW(summarize(none), std::invalid_argument);
  EXPECT_THROW(median(none), std::invalid_argument);
}

}  // namespace
}  // namespace concbench::stats
