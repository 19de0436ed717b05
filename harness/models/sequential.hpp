#pragma once
/// `sequential`: one thread, tasks run one after another to completion. The base of every speedup.

#include "models/model.hpp"

namespace concbench {

class SequentialModel {
 public:
  static constexpr ModelInfo info{"sequential", "one thread, tasks one after another", true, false};

  explicit SequentialModel(int /*cores*/) {}
  WorkerUse run_tasks(std::size_t tasks, const TaskBody& body);
  static void block_for(std::chrono::nanoseconds wait);
  static void yield() {}  // nothing else to run: a task always runs to its end
};

}  // namespace concbench
