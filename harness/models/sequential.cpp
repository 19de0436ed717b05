#include "harness/models/sequential.hpp"

#include <thread>

#include "harness/models/first_error.hpp"

namespace concbench {

static_assert(CompleteStackfulModel<SequentialModel>);

WorkerUse SequentialModel::run_tasks(std::size_t tasks, const TaskBody& body) {
  FirstError errors;
  for (std::size_t index = 0; index < tasks; ++index) run_catching(body, index, errors);
  errors.rethrow();
  return {1, {}};
}

void SequentialModel::block_for(std::chrono::nanoseconds wait) { std::this_thread::sleep_for(wait); }

void SequentialModel::Mutex::lock() {
  if (locked_) {
    throw DeadlockError("sequential: mutex already held; no other task can release it while this one runs");
  }
  locked_ = true;
}

bool SequentialModel::Mutex::try_lock() noexcept {
  if (locked_) return false;
  locked_ = true;
  return true;
}

void SequentialModel::ConditionVariable::wait(std::unique_lock<Mutex>& /*lock*/) {
  throw DeadlockError(
      "sequential: channel operation would block forever (full on send, or empty and open on receive); "
      "no other task can run until this one ends");
}

}  // namespace concbench
