#pragma once
/// `fiber-ws`: Boost.Fiber's `work_stealing` scheduler across a pool of N threads (N = cores). Fibers run on
/// whichever pool thread takes them; an idle thread steals ready fibers from the others.
///
/// Boost 1.74's work_stealing keeps static scheduler tables (TRAPS.md): the pool is set up once per process
/// with one N, on N threads of its own, before the first fiber, and stays alive until the process exits.
/// The calling thread only hands the tasks over and waits, so its own (round_robin) scheduler is left alone
/// and `fiber` can run in the same process. See docs/models.md for the suspend and N = 1 choices.

#include <cstddef>
#include <memory>

#include "models/fiber.hpp"
#include "models/model.hpp"
#include "models/worker_set.hpp"

namespace concbench {

class FiberWsModel {
 public:
  static constexpr ModelInfo info{"fiber-ws", "Boost.Fiber work_stealing across N threads", false, true, false, false, "fiber"};

  using mutex = FiberMutex;
  template <class T>
  using channel = FiberChannel<T>;

  /// Sets up the process's pool of `cores` threads, or reuses it; throws std::logic_error when this process
  /// already set one up with another number of threads.
  explicit FiberWsModel(int cores);
  /// Hands one fiber per task to the pool and blocks the calling thread until every task has ended. Called
  /// from a task (nested), it launches the children itself with launch::dispatch on pooled 16 KiB stacks.
  /// `workers`: pool threads that have run at least one of this model's tasks (≤ N).
  WorkerUse run_tasks(std::size_t tasks, const TaskBody& body);
  static void block_for(std::chrono::nanoseconds wait) { FiberModel::block_for(wait); }
  static void yield() { FiberModel::yield(); }

  /// The pool's size in this process, 0 before any fiber-ws model was made.
  static int pool_threads();

  class Pool;  // fiber_ws.cpp

 private:
  WorkerUse run_nested(std::size_t tasks, const TaskBody& body, std::string_view mapping);

  Pool* pool_;  // process-wide: made by the first fiber-ws model, stopped at exit
  std::unique_ptr<WorkerSet> used_;
};

}  // namespace concbench
