// The latency histogram (harness/stats/histogram.hpp): bucket bounds, percentiles on known data, merging.
#include "harness/stats/histogram.hpp"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace concbench::stats {
namespace {

TEST(Histogram, EveryBucketHoldsExactlyTheValuesBetweenItsBounds) {
  for (std::size_t index = 0; index < Histogram::kBuckets; ++index) {
    EXPECT_EQ(Histogram::bucket_of(Histogram::bucket_low(index)), index);
    EXPECT_EQ(Histogram::bucket_of(Histogram::bucket_high(index)), index);
    if (index + 1 < Histogram::kBuckets) {
      EXPECT_EQ(Histogram::bucket_high(index) + 1, Histogram::bucket_low(index + 1));
    }
  }
  EXPECT_EQ(Histogram::bucket_of(std::numeric_limits<std::uint64_t>::max()), Histogram::kBuckets - 1);
}

TEST(Histogram, BucketsAreNoWiderThanASixteenthOfTheirValues) {
  for (std::size_t index = Histogram::kSub; index + 1 < Histogram::kBuckets; ++index) {
    const auto width = Histogram::bucket_high(index) - Histogram::bucket_low(index) + 1;
    EXPECT_LE(width * 16, Histogram::bucket_low(index)) << index;
  }
}

TEST(Histogram, SmallValuesGiveExactNearestRankPercentiles) {
  Histogram histogram;
  for (std::uint64_t value = 0; value < 10; ++value) histogram.record(value);  // 0..9
  EXPECT_EQ(histogram.count(), 10u);
  EXPECT_DOUBLE_EQ(histogram.percentile(50), 4);  // rank 5
  EXPECT_DOUBLE_EQ(histogram.percentile(90), 8);  // rank 9
  EXPECT_DOUBLE_EQ(histogram.percentile(99), 9);  // rank 10
  EXPECT_DOUBLE_EQ(histogram.percentile(0), 0);
  EXPECT_DOUBLE_EQ(histogram.percentile(100), 9);
}

TEST(Histogram, LargeValuesAreWithinTheBucketResolution) {
  Histogram histogram;
  for (std::uint64_t value = 1; value <= 100000; ++value) histogram.record(value * 10);  // 10 .. 1,000,000
  EXPECT_NEAR(histogram.percentile(50), 500000, 500000 / 16.0);
  EXPECT_NEAR(histogram.percentile(99), 990000, 990000 / 16.0);
  EXPECT_EQ(histogram.min(), 10u);
  EXPECT_EQ(histogram.max(), 1000000u);
  EXPECT_DOUBLE_EQ(histogram.percentile(100), 1000000);  // clamped to the largest value recorded
}

TEST(Histogram, ASkewedDistributionPutsP99InTheTail) {
  Histogram histogram;
  for (int i = 0; i < 990; ++i) histogram.record(100);
  for (int i = 0; i < 10; ++i) histogram.record(50000);
  EXPECT_NEAR(histogram.percentile(50), 100, 100 / 16.0);
  EXPECT_NEAR(histogram.percentile(99), 100, 100 / 16.0);  // rank 990 is still the body
  EXPECT_NEAR(histogram.percentile(99.5), 50000, 50000 / 16.0);
}

TEST(Histogram, MergingEqualsRecordingEverythingInOne) {
  Histogram all;
  Histogram low;
  Histogram high;
  for (std::uint64_t value = 0; value < 5000; value += 7) {
    all.record(value);
    (value < 2000 ? low : high).record(value);
  }
  low.merge(high);
  EXPECT_EQ(low.count(), all.count());
  EXPECT_EQ(low.min(), all.min());
  EXPECT_EQ(low.max(), all.max());
  for (double percent : {1.0, 25.0, 50.0, 90.0, 99.0, 100.0})
    EXPECT_DOUBLE_EQ(low.percentile(percent), all.percentile(percent));
}

TEST(Histogram, EmptyAndClearedGiveZero) {
  Histogram histogram;
  EXPECT_DOUBLE_EQ(histogram.percentile(50), 0);
  histogram.record(12345);
  histogram.clear();
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_DOUBLE_EQ(histogram.percentile(99), 0);
}

}  // namespace
}  // namespace concbench::stats
