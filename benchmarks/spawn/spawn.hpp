#pragma once
/// `spawn`: create and join many tiny tasks.
///  - `flat`: one fork-join of `tasks` tasks; task i hands back i.
///  - `skynet`: a 10-ary tree over `leaves` leaves (a power of ten). Every inner node spawns ALL its ten
///    children before joining any, then hands back the sum of theirs; leaf i hands back i. Every node is a
///    task: tasks = leaves + leaves/10 + ... + 1 (1,111,111 for a million leaves).
/// Verified: the sum at the root is leaves·(leaves−1)/2 (499999500000 for a million). Throughput is tasks
/// created and joined per second; `peak_rss_bytes_per_task` (metrics) is how much the process's peak RSS
/// grew over all runs of the cell, per task of one run (getrusage in the child, docs/workloads.md).

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/run_tally.hpp"
#include "benchmarks/workload.hpp"

namespace concbench {

WorkloadSpec spawn_workload();

namespace spawn {

/// Its bodies, one per kind of model (workload.hpp: Bindings, bindings_of), each defined in its own source:
/// spawn_stackful.cpp, coroutine.cpp, spawn_bare.cpp and external.cpp.
struct Bodies {
  static const CellMaker stackful, coroutine, bare, external;
};

/// Children per inner node of the skynet tree.
inline constexpr std::uint64_t kFanOut = 10;
/// Above this many tasks, models that start one OS thread per task report skynet `unsupported`: the tree
/// would measure the kernel's thread limits and memory, not spawning.
inline constexpr std::int64_t kMaxOsThreads = 2000;

/// Tasks of a skynet tree over `leaves` leaves: leaves + leaves/10 + ... + 1.
std::int64_t skynet_tasks(std::int64_t leaves);
/// Whether the model runs each task of a small fork-join on an OS thread of its own.
bool os_thread_per_task(std::string_view model);

/// A binding's leaf: `Honest` hands back its index. Tests plug in a broken one to see the cell fail.
struct Honest {
  static constexpr std::uint64_t leaf(std::uint64_t index) noexcept { return index; }
};

/// What every binding shares: the shape, the expected sum, the check of each run and the memory figure.
class Cell : public TalliedCell<std::uint64_t> {
 public:
  explicit Cell(const CellKey& key);

  std::int64_t items_per_run() const override { return tasks_; }

 protected:
  bool skynet() const { return skynet_; }
  /// Leaves of the tree (skynet) or tasks of the fork-join (flat): the values summed.
  std::uint64_t leaves() const { return leaves_; }
  /// Where flat's task i puts its value (each on its own slot, summed after the join).
  std::uint64_t& slot(std::size_t task) { return slots_[task]; }
  /// Records a nested fork-join's use of OS threads (from any task, concurrently: atomics only).
  void used(WorkerUse use) noexcept;
  /// The same for the run's own, outermost fork-join, after it joined: also takes its mapping (written by
  /// the cell's thread alone; nested calls run the same model, so they have the same mapping).
  void used_by_run(WorkerUse use) noexcept;
  /// Call first in every run: the first one takes the RSS baseline (after Google Benchmark's own set-up).
  void begin_run();
  /// Checks one run's root sum (skynet) or the slots' sum (flat).
  void end_run(std::uint64_t skynet_sum);

 private:
  std::string explain(const std::uint64_t& sum) const override;
  /// The peak RSS grown since the first run, per task.
  void add_figures(CellFigures& figures) const override;

  bool skynet_;
  std::int64_t tasks_;
  std::uint64_t leaves_;
  std::uint64_t expected_;
  std::vector<std::uint64_t> slots_;  // flat only
  long rss_before_kb_ = -1;           // the process's peak RSS before the first run; -1 until then
  // Every fork-join of a run adds its threads (for models with an OS thread per task, the sum is the
  // threads started); the others keep the largest count (their pool threads, counted once).
  std::atomic<int> threads_started_{0};
  std::atomic<int> most_workers_{0};
  std::string_view mapping_;
};

}  // namespace spawn
}  // namespace concbench
