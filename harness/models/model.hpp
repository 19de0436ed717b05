#pragma once
/// The shape every stackful execution model has (DESIGN.md, "Execution models").
///
/// A model is a policy type: one header + one source in harness/models/, a `static constexpr ModelInfo info`,
/// and the primitives below. Workload bodies are written once as templates over `StackfulModel`; adding a
/// model is its file pair plus one line in registry.hpp. The concept is checked where each model is defined.

#include <chrono>
#include <concepts>
#include <cstddef>
#include <functional>
#include <string_view>

namespace concbench {

struct ModelInfo {
  std::string_view id;
  std::string_view description;
  /// The model always runs on one thread, so the cores axis is always 1 for it.
  bool single_core;
  /// The model keeps several tasks in progress at once (false only for `sequential`).
  bool concurrent;
};

/// What a fork-join of tasks really used, for the row's `workers` and `metrics`.
struct WorkerUse {
  int workers = 1;              // OS threads that ran tasks
  std::string_view mapping;     // e.g. "thread-per-task"; empty when there is only one way
};

/// The body of task `index` of a fork-join.
using TaskBody = std::function<void(std::size_t index)>;

template <class M>
concept StackfulModel = requires(M& model, std::size_t tasks, const TaskBody& body, std::chrono::nanoseconds wait) {
  requires std::same_as<std::remove_cvref_t<decltype(M::info)>, ModelInfo>;
  requires std::constructible_from<M, int>;  // cores: how many CPUs the cell may use
  // Spawns `tasks` tasks running body(0..tasks-1) and joins them all. An exception thrown by a task
  // is rethrown here, after every task has ended.
  { model.run_tasks(tasks, body) } -> std::same_as<WorkerUse>;
  // A blocking wait (emulated I/O): the calling task blocks for `wait`; other tasks may run meanwhile.
  { M::block_for(wait) } -> std::same_as<void>;
  // Lets other tasks of the model run.
  { M::yield() } -> std::same_as<void>;
};

}  // namespace concbench

namespace concbench {

/// The seed talk's quadrant of one cell: concurrent when several tasks are in progress at once,
/// parallel when several of them can also execute at the same instant (more than one worker and core).
constexpr std::string_view taxonomy(const ModelInfo& model, int cores, int tasks, int workers) {
  const bool concurrent = model.concurrent && tasks > 1;
  const bool parallel = concurrent && cores > 1 && workers > 1;
  return parallel ? "parallel-concurrent" : concurrent ? "serial-concurrent" : "serial-sequential";
}

}  // namespace concbench
