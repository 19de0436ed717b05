#pragma once
/// `spawn` on the stackful models: one generic body for every model of harness/models/model_registry.hpp. A skynet
/// node spawns its children with a nested run_tasks, from inside a task of the same model. In a header so a
/// test can bind it with a broken leaf (`Leaf`, see spawn::Honest).

#include <array>
#include <numeric>
#include <string>

#include <fmt/format.h>

#include "benchmarks/spawn/spawn.hpp"
#include "harness/models/interpreted.hpp"

namespace concbench::spawn {

template <StackfulModel M, class Leaf = Honest>
class StackfulSpawn final : public Cell {
 public:
  StackfulSpawn(M model, const CellKey& key) : Cell(key), model_(std::move(model)) {}

  static std::string unsupported(const CellKey& key) {
    if (key.variant != "skynet" || key.tasks <= kMaxOsThreads || !os_thread_per_task(key.model)) return {};
    return fmt::format(
        "skynet would start {} OS threads (one per task; the limit here is {}): set leaves=1000 "
        "(tasks=1111) for a tree every model runs",
        key.tasks, kMaxOsThreads);
  }

  void run_once() override {
    begin_run();
    std::uint64_t sum = 0;
    if (skynet()) {
      used_by_run(model_.run_tasks(1, [&](std::size_t) { sum = node(0, leaves()); }));
    } else {
      used_by_run(model_.run_tasks(leaves(), [this](std::size_t task) { slot(task) = Leaf::leaf(task); }));
    }
    end_run(sum);
  }

 private:
  /// The sum of the leaves [first, first + size).
  std::uint64_t node(std::uint64_t first, std::uint64_t size) {
    if (size == 1) return Leaf::leaf(first);
    const auto child = size / kFanOut;
    std::array<std::uint64_t, kFanOut> sums{};
    // Joining the children is a blocking call to an interpreter (Thread.join() releases the GIL).
    blocking_call<M>([&] {
      used(model_.run_tasks(kFanOut, [&](std::size_t index) { sums[index] = node(first + index * child, child); }));
    });
    return std::accumulate(sums.begin(), sums.end(), std::uint64_t{0});
  }

  M model_;
};

}  // namespace concbench::spawn
