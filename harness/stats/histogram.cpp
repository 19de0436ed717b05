#include "harness/stats/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace concbench::stats {

void Histogram::merge(const Histogram& other) noexcept {
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void Histogram::clear() noexcept { *this = Histogram(); }

std::uint64_t Histogram::bucket_low(std::size_t index) noexcept {
  if (index < kSub) return index;
  const auto shift = index / kSub - 1;
  return (index % kSub + kSub) << shift;
}

std::uint64_t Histogram::bucket_high(std::size_t index) noexcept {
  if (index + 1 >= kBuckets) return std::numeric_limits<std::uint64_t>::max();
  return bucket_low(index + 1) - 1;
}

double Histogram::percentile(double percent) const noexcept {
  if (count_ == 0) return 0;
  const double wanted = std::ceil(std::clamp(percent, 0.0, 100.0) / 100.0 * static_cast<double>(count_));
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
  if (rank >= count_) return static_cast<double>(max_);  // the largest value is known exactly
  std::uint64_t seen = 0;
  std::size_t index = 0;
  for (; index < kBuckets; ++index) {
    seen += buckets_[index];
    if (seen >= rank) break;
  }
  const double low = static_cast<double>(std::max(bucket_low(index), min_));
  const double high = static_cast<double>(std::min(bucket_high(index), max_));
  return low + (high - low) / 2;
}

}  // namespace concbench::stats
