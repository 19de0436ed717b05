#pragma once
/// A fixed-size log-linear histogram of non-negative integers (e.g. latencies in nanoseconds), in the style
/// of HdrHistogram: values below 16 have a bucket each; above, every power of two is split into 16 buckets,
/// so a percentile is within 1/16 (6.25%) of the true value. Its storage is part of the object: make it
/// before the timed loop, and record() never allocates (about 1 ns: a count-leading-zeros and an add).
/// Not thread-safe: give each task its own, merge after the join.

#include <array>
#include <cstdint>
#include <limits>

namespace concbench::stats {

class Histogram {
 public:
  static constexpr int kSubBits = 4;
  static constexpr std::uint64_t kSub = std::uint64_t{1} << kSubBits;  // buckets per power of two
  /// Enough buckets for every 64-bit value: the top power of two (2^63) has shift 59, i.e. group 60.
  static constexpr std::size_t kBuckets = (64 - kSubBits + 1) * kSub;

  void record(std::uint64_t value) noexcept {
    ++buckets_[bucket_of(value)];
    ++count_;
    if (value < min_) min_ = value;
    if (value > max_) max_ = value;
  }
  void merge(const Histogram& other) noexcept;
  void clear() noexcept;

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t min() const noexcept { return count_ == 0 ? 0 : min_; }
  std::uint64_t max() const noexcept { return max_; }
  /// The value at or below which `percent` % of the recorded values lie (nearest rank), as the midpoint of
  /// its bucket clamped to the recorded [min, max]: exact below 16, within 1/16 above; the top rank is the
  /// recorded maximum. 0 when empty.
  double percentile(double percent) const noexcept;

  static std::size_t bucket_of(std::uint64_t value) noexcept {
    if (value < kSub) return static_cast<std::size_t>(value);
    const int top = 63 - __builtin_clzll(value);  // position of the highest set bit, ≥ kSubBits
    const int shift = top - kSubBits;
    return static_cast<std::size_t>(shift + 1) * kSub + static_cast<std::size_t>((value >> shift) - kSub);
  }
  /// The smallest and the largest value bucket `index` holds.
  static std::uint64_t bucket_low(std::size_t index) noexcept;
  static std::uint64_t bucket_high(std::size_t index) noexcept;

 private:
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t min_ = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t max_ = 0;
};

}  // namespace concbench::stats
