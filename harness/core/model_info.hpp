#pragma once
/// What the harness knows of an execution model without running it (its `static constexpr ModelInfo info`), and
/// what a fork-join of its tasks really used: descriptors on the ground floor, so the report and the runner
/// read them without including the models (harness/models/model.hpp says what a model is).

#include <string_view>

namespace concbench {

struct ModelInfo {
  std::string_view id;
  std::string_view description;
  /// The model always runs on one thread, so the cores axis is always 1 for it.
  bool single_core;
  /// The model keeps several tasks in progress at once (false only for `sequential`).
  bool concurrent;
  /// Only one task executes at any instant, whatever the cores (a global lock), so it is never parallel.
  bool one_at_a_time = false;
  /// Not an execution model but a reference (`bare`): planned only for the workloads that have a floor.
  bool pseudo = false;
  /// The library whose floor (a `bare` cell, benchmarks/workload.hpp: floor_key) a row of this model is
  /// compared with: "thread", "fiber", "coroutine" or "tbb"; empty for a model with no floor (sequential, bare).
  std::string_view family = {};
};

/// The descriptors of the usual kinds of model, for a model's `static constexpr ModelInfo info`; `family` as above.
/// Tasks in progress together on several threads, as many as the cores (the cores axis applies).
constexpr ModelInfo on_threads(std::string_view id, std::string_view description, std::string_view family = {}) {
  return {.id = id, .description = description, .single_core = false, .concurrent = true, .family = family};
}
/// Tasks in progress together on one thread, switching where they wait or yield (the cores axis is 1).
constexpr ModelInfo on_one_thread(std::string_view id, std::string_view description, std::string_view family = {}) {
  return {.id = id, .description = description, .single_core = true, .concurrent = true, .family = family};
}
/// Tasks on several threads that must hold one global lock to run, so only one of them executes at a time.
constexpr ModelInfo one_at_a_time(std::string_view id, std::string_view description, std::string_view family = {}) {
  return {.id = id,
          .description = description,
          .single_core = false,
          .concurrent = true,
          .one_at_a_time = true,
          .family = family};
}

/// What a fork-join of tasks really used, for the row's `workers` and `metrics`.
struct WorkerUse {
  int workers = 1;           // OS threads that ran tasks
  std::string_view mapping;  // e.g. "thread-per-task"; empty when there is only one way
};

/// The seed talk's quadrant of one cell: concurrent when several tasks are in progress at once,
/// parallel when several of them can also execute at the same instant (more than one worker and core).
constexpr std::string_view taxonomy(const ModelInfo& model, int cores, int tasks, int workers) {
  const bool concurrent = model.concurrent && tasks > 1;
  const bool parallel = concurrent && !model.one_at_a_time && cores > 1 && workers > 1;
  return parallel ? "parallel-concurrent" : concurrent ? "serial-concurrent" : "serial-sequential";
}

}  // namespace concbench
