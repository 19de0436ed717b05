#include "harness/models/coroutine.hpp"

#include <cassert>
#include <stdexcept>
#include <thread>

#include "harness/models/coro/resume.hpp"
#include "harness/models/coroutine_model.hpp"

namespace concbench {

static_assert(CoroutineModel<CoroutineLoopModel>);

void EventLoop::run(coro::Task<void> root) {
  assert(current_ == nullptr && "one loop per thread, and run() is not reentrant");
  current_ = this;
  root_done_ = false;
  post(coro::detail::spawned(std::move(root), *this));
  for (;;) {
    if (!timers_.empty()) {
      // Sleep only when nothing is ready: a ready task never waits for a timer. (The cell's process sets its
      // timer slack to 1 ns, so the sleep ends on time.)
      if (ready_.empty()) std::this_thread::sleep_until(timers_.next_deadline());
      // One clock read per iteration, only while timers are pending: a due timer waits at most one batch of
      // ready tasks (as in asyncio, whose loop also checks its timers once per iteration).
      timers_.pop_due(coro::Clock::now(), [this](std::coroutine_handle<> handle) { ready_.push_back(handle); });
    }
    if (ready_.empty()) break;  // nothing ready, no timer: every task ended, or the rest wait on each other
    // As many handles as are ready now; those they make ready wait for the next iteration, after the timers
    // are checked. The children a task spawned go first, in spawn order, ahead of every older ready task:
    // the tree of a task spawning tasks unfolds depth first, with only its depth × fan-out frames alive (in
    // the queue's order, the breadth-first one, a million-leaf skynet kept all 1.1M frames: 285 MB).
    for (auto batch = ready_.size(); batch > 0; --batch) {
      const auto handle = ready_.front();
      ready_.pop_front();
      coro::resume(handle);
      ready_.insert(ready_.begin(), spawned_.begin(), spawned_.end());
      spawned_.clear();
    }
  }
  current_ = nullptr;
  if (!root_done_) throw DeadlockError("coroutine: every remaining task waits for another");
  if (root_error_) std::rethrow_exception(std::exchange(root_error_, nullptr));
}

std::coroutine_handle<> EventLoop::task_done(std::exception_ptr error) noexcept {
  root_done_ = true;
  root_error_ = std::move(error);
  return {};
}

CoroutineLoopModel::CoroutineLoopModel(const ModelContext& /*context*/) : loop_(std::make_unique<EventLoop>()) {}

WorkerUse CoroutineLoopModel::run_tasks(std::size_t tasks, const coro::TaskBody& body) {
  loop_->run(fork_join(tasks, body));
  return {1, {}};
}

}  // namespace concbench
