#pragma once
/// `spawn` on the `bare` pseudo-model (models/bare.hpp): each library's spawn and join in a minimal loop, the
/// floor of the model rows whose metric `primitive` names it.
///  - fiber-join: Boost.Fiber fibers on pooled 16 KiB stacks; flat launches them all (launch::post) on the
///    cell's thread (round_robin), then joins; skynet runs on a thread of its own under a depth-first
///    scheduler (bare::DepthFirst), a node launching each child with launch::dispatch (TRAPS.md), then
///    joining the ten.
///  - tbb-task-group: task_group::run per task, then wait(), in an arena of `cores` threads.
///  - coroutine-join: lazy coroutines (bare::Task); flat creates them all, then runs each to its end; a skynet
///    node creates its ten children, then awaits each (symmetric transfer in, and back at its end).
///  - thread-join (flat only): one std::thread per task, then join.
/// The root of a skynet tree is called directly on the cell's thread (in the arena for tbb).

/// In a header so a test can bind it with a broken leaf (`Leaf`, see spawn::Honest), as spawn/spawn_stackful.hpp.

#include <array>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "benchmarks/bare/coroutine_loops.hpp"
#include "benchmarks/bare/fiber_loops.hpp"
#include "benchmarks/bare/tbb_loops.hpp"
#include "benchmarks/bare/thread_loops.hpp"
#include "benchmarks/spawn/spawn.hpp"
#include "harness/models/bare.hpp"

namespace concbench::spawn {

template <class Leaf = Honest>
class BareSpawn final : public Cell {
 public:
  explicit BareSpawn(const CellKey& key) : Cell(key), primitive_(key.params.get("primitive")), cores_(key.cores) {
    if (primitive_ == primitive::kTbbTaskGroup) arena_.emplace(cores_);
    if (primitive_ == primitive::kFiberJoin && !skynet()) fibers_.resize(leaves());
    if (primitive_ == primitive::kCoroutineJoin && !skynet()) tasks_.resize(leaves());
  }

  static std::string unsupported(const CellKey& key) {
    if (key.params.get("primitive") != primitive::kThreadJoin || key.tasks <= kMaxOsThreads) return {};
    return fmt::format("thread-join would start {} OS threads (one per task; the limit here is {})", key.tasks,
                       kMaxOsThreads);
  }

  void run_once() override {
    begin_run();
    std::uint64_t sum = 0;
    if (primitive_ == primitive::kFiberJoin) {
      if (skynet()) {
        // A node's children each run at once (launch::dispatch), then the node joins them.
        const auto dispatched = [](std::size_t n, const auto& body) {
          std::array<boost::fibers::fiber, kFanOut> children;
          bare::on_fibers(std::span(children).first(n), boost::fibers::launch::dispatch, body);
        };
        sum = bare::on_depth_first_thread([&] { return node(0, leaves(), dispatched); });
      } else {
        bare::on_fibers(fibers_, boost::fibers::launch::post, [this](std::size_t task) { store_leaf(task); });
      }
      used_by_run({1, "fiber-per-task"});
    } else if (primitive_ == primitive::kTbbTaskGroup) {
      const auto group = [](std::size_t n, const auto& body) { bare::tbb_fork_join(n, body); };
      arena_->execute([&] {
        if (skynet()) {
          sum = node(0, leaves(), group);
        } else {
          group(leaves(), [this](std::size_t task) { store_leaf(task); });
        }
      });
      used_by_run({cores_, "tbb-task-per-task"});  // the arena's threads
    } else if (primitive_ == primitive::kCoroutineJoin) {
      sum = skynet() ? coroutine_root() : coroutine_flat();
      used_by_run({1, "coroutine-per-task"});
    } else {
      used_by_run({bare::on_threads(leaves(), [this](std::size_t task) { store_leaf(task); }), "thread-per-task"});
    }
    end_run(sum);
  }

 private:
  void store_leaf(std::size_t task) { slot(task) = Leaf::leaf(task); }

  /// A skynet node of a stackful floor: the sum of the leaves [first, first + size), its ten children run by
  /// `fork_join(10, body)`, which starts body(0..9) and returns once all have ended.
  template <class ForkJoin>
  std::uint64_t node(std::uint64_t first, std::uint64_t size, const ForkJoin& fork_join) {
    if (size == 1) return Leaf::leaf(first);
    const auto child = size / kFanOut;
    std::array<std::uint64_t, kFanOut> sums{};
    fork_join(kFanOut, [&](std::size_t index) { sums[index] = node(first + index * child, child, fork_join); });
    return std::accumulate(sums.begin(), sums.end(), std::uint64_t{0});
  }

  /// Member coroutines, not capturing lambdas: their frames keep their arguments as parameters.
  bare::Task<std::uint64_t> coroutine_leaf(std::uint64_t index) { co_return Leaf::leaf(index); }
  std::uint64_t coroutine_flat() {
    for (std::size_t task = 0; task < leaves(); ++task) tasks_[task] = coroutine_leaf(task);  // spawn all...
    for (std::size_t task = 0; task < leaves(); ++task) {                                     // ...then join each
      coro::resume(tasks_[task].handle());
      slot(task) = tasks_[task].value();
      tasks_[task] = {};
    }
    return 0;
  }
  bare::Task<std::uint64_t> coroutine_node(std::uint64_t first, std::uint64_t size) {
    if (size == 1) co_return Leaf::leaf(first);
    const auto child = size / kFanOut;
    std::array<bare::Task<std::uint64_t>, kFanOut> children;  // spawn all...
    for (std::size_t index = 0; index < kFanOut; ++index)
      children[index] = coroutine_node(first + index * child, child);
    std::uint64_t sum = 0;
    for (const auto& task : children) sum += co_await task;  // ...then join each
    co_return sum;
  }
  std::uint64_t coroutine_root() {
    const auto root = coroutine_node(0, leaves());
    coro::resume(root.handle());
    return root.value();
  }

  std::string primitive_;
  int cores_;
  std::optional<bare::TbbArena> arena_;
  std::vector<boost::fibers::fiber> fibers_;      // flat fiber-join: the run's fibers
  std::vector<bare::Task<std::uint64_t>> tasks_;  // flat coroutine-join: the run's coroutines
};

}  // namespace concbench::spawn
