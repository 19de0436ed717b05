#pragma once
/// Which of a model's N worker threads ran at least one task: the row's `workers` ("OS threads really
/// used", DESIGN.md) for the pool-based models, whose N threads exist whether or not the tasks keep them busy.

#include <atomic>
#include <cstddef>
#include <memory>

namespace concbench {

class WorkerSet {
 public:
  explicit WorkerSet(int threads)
      : size_(static_cast<std::size_t>(threads)), used_(std::make_unique<std::atomic<bool>[]>(size_)) {}

  /// Called by every task with its worker's index in [0, N). Relaxed: the flags are read after the join,
  /// which orders every task before it. The load first keeps the flag's cache line shared once it is set.
  void mark(std::size_t worker) noexcept {
    auto& flag = used_[worker];
    if (!flag.load(std::memory_order_relaxed)) flag.store(true, std::memory_order_relaxed);
  }

  /// Workers that ran a task since this set was made.
  int count() const noexcept {
    int used = 0;
    for (std::size_t i = 0; i < size_; ++i) used += used_[i].load(std::memory_order_relaxed) ? 1 : 0;
    return used;
  }

 private:
  std::size_t size_;
  std::unique_ptr<std::atomic<bool>[]> used_;
};

}  // namespace concbench
