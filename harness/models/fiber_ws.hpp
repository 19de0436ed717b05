#pragma once
/// `fiber-ws`: Boost.Fiber's `work_stealing` scheduler across a pool of N threads (N = cores). Fibers run on
/// whichever pool thread takes them; an idle thread steals ready fibers from the others.
///
/// The scheduler is concbench's own (fiber_detail::DepthFirst, not Boost 1.74's work_stealing, see
/// docs/models.md): each N gets one pool of N threads per process, made by the first model with that N and
/// alive until the process exits. The calling thread only hands the tasks over and waits, so its own
/// scheduler is left alone and `fiber` can run in the same process.

#include <cstddef>
#include <memory>

#include "harness/models/fiber.hpp"
#include "harness/models/model.hpp"
#include "harness/models/worker_set.hpp"

namespace concbench {

class FiberWsModel : public FiberPrimitives {
 public:
  static constexpr ModelInfo info = on_threads("fiber-ws", "Boost.Fiber, fibers stolen across N threads", "fiber");

  /// Sets up the process's pool of `context.cores` threads, or reuses it.
  explicit FiberWsModel(const ModelContext& context);
  /// Hands one fiber per task to the pool and blocks the calling thread until every task has ended. Called
  /// from a task (nested), it launches the children itself with launch::dispatch, depth first, while idle
  /// pool threads steal the spawner. `workers`: pool threads that have run at least one of this model's
  /// tasks (≤ N).
  WorkerUse run_tasks(std::size_t tasks, const TaskBody& body);

  /// The threads of this model's pool (N).
  int threads() const noexcept;

  class Pool;  // fiber_ws.cpp

 private:
  Pool* pool_;  // process-wide, one per N: made by the first fiber-ws model with that N, stopped at exit
  std::unique_ptr<WorkerSet> used_;
};

}  // namespace concbench
