#include "models/sequential.hpp"

#include <thread>

namespace concbench {

static_assert(StackfulModel<SequentialModel>);

WorkerUse SequentialModel::run_tasks(std::size_t tasks, const TaskBody& body) {
  for (std::size_t index = 0; index < tasks; ++index) body(index);
  return {1, {}};
}

void SequentialModel::block_for(std::chrono::nanoseconds wait) { std::this_thread::sleep_for(wait); }

}  // namespace concbench
