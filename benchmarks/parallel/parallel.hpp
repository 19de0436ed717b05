#pragma once
/// `parallel`: embarrassingly parallel items of work, split evenly over the tasks.
///  - `cpu`: each item runs a fixed dependent hash chain; verified against the sequential checksum.
///  - `io`:  each item blocks for a fixed time (the model's blocking wait); verified by count and checksum.

#include <chrono>
#include <cstdint>

#include "core/cell_key.hpp"
#include "workload.hpp"

namespace concbench {

WorkloadSpec parallel_workload();

namespace parallel {

struct Config {
  bool io = false;
  std::int64_t items = 0;
  std::int64_t tasks = 0;
  std::int64_t work = 0;  // cpu: hash rounds per item
  std::chrono::microseconds wait{0};  // io: blocking time per item

  static Config from(const CellKey& key);
};

/// What one task hands back: items done and their checksum (wrapping sums, so order does not matter).
struct SliceResult {
  std::uint64_t count = 0;
  std::uint64_t checksum = 0;
};

/// The CPU work of one item: `rounds` steps of a dependent mixing chain the compiler cannot shorten.
std::uint64_t cpu_item(std::uint64_t item, std::int64_t rounds);

/// The answer every model must reproduce, computed by a plain loop.
SliceResult reference(const Config& config);

/// Task `task`'s share of the items: [first, last).
struct Range {
  std::int64_t first;
  std::int64_t last;
};
Range slice(const Config& config, std::int64_t task);

/// Runs task `task`'s items; `block(wait)` is the model's blocking wait.
template <class Block>
SliceResult run_slice(const Config& config, std::int64_t task, Block&& block) {
  SliceResult result;
  const auto [first, last] = slice(config, task);
  for (auto item = first; item < last; ++item) {
    if (config.io) {
      block(config.wait);
      result.checksum += static_cast<std::uint64_t>(item) + 1;
    } else {
      result.checksum += cpu_item(static_cast<std::uint64_t>(item), config.work);
    }
    ++result.count;
  }
  return result;
}

/// Compares a run's combined result with the reference.
Verdict check(const SliceResult& got, const SliceResult& expected);

}  // namespace parallel
}  // namespace concbench
