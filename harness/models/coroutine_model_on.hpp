#pragma once
/// `CoroutineModelOn<S, Info>`: the coroutine execution model (the `CoroutineModel` concept, coroutine_model.hpp)
/// over its scheduler `S`, described by `Info`. Everything but the scheduler is the same for every coroutine
/// model: the task group, mutex, channel, yield and blocking wait of harness/models/coro/ over `S`, and a
/// fork-join run to its end. `coroutine` is it over EventLoop (models/coroutine.hpp), `coroutine-pool` over
/// CoroutinePool (models/coroutine_pool.hpp): a model's files hold its scheduler, its ModelInfo and the alias.

#include <chrono>
#include <concepts>
#include <cstddef>
#include <memory>
#include <utility>

#include "harness/core/model_context.hpp"
#include "harness/models/coro/channel.hpp"
#include "harness/models/coro/mutex.hpp"
#include "harness/models/coro/scheduler.hpp"
#include "harness/models/coro/task.hpp"
#include "harness/models/coro/task_group.hpp"
#include "harness/models/model.hpp"
#include "harness/models/model_hooks.hpp"

namespace concbench {

/// What the model needs from its scheduler besides what the primitives need (coro::Scheduler): built from
/// the cell's CPUs, `run(root)` runs a root task and every task it spawns to their end from outside the
/// scheduler (rethrowing the root's exception, throwing DeadlockError when the tasks left all wait on each
/// other), and `workers()` is the number of threads that run tasks.
template <class S>
concept RootScheduler = coro::Scheduler<S> && std::constructible_from<S, int> && requires(S& scheduler) {
  scheduler.run(coro::Task<void>{});
  { scheduler.workers() } -> std::convertible_to<int>;
};

template <RootScheduler S, const ModelInfo& Info>
class CoroutineModelOn {
 public:
  static constexpr const ModelInfo& info = Info;
  static constexpr ModelHooks hooks{};
  using Scheduler = S;
  using TaskGroup = coro::TaskGroup<S>;
  using Mutex = coro::Mutex<S>;
  template <class T>
  using Channel = coro::Channel<T, S>;

  /// The scheduler gets the context's cores (the event loop runs on the calling thread whatever they are).
  explicit CoroutineModelOn(const ModelContext& context) : scheduler_(std::make_unique<S>(context.cores)) {}

  WorkerUse run_tasks(std::size_t tasks, const coro::TaskBody& body) {
    scheduler_->run(fork_join(tasks, body));
    return {scheduler_->workers(), {}};
  }

  static coro::Task<void> fork_join(std::size_t tasks, coro::TaskBody body) {
    return coro::fork_join<S>(tasks, std::move(body));
  }
  static coro::SleepFor<S> block_for(std::chrono::nanoseconds wait) noexcept { return coro::SleepFor<S>(wait); }
  static coro::Yield<S> yield() noexcept { return {}; }

 private:
  std::unique_ptr<S> scheduler_;  // on the heap: the model is moved into its cell, the scheduler stays put
};

}  // namespace concbench
