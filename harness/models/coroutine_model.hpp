#pragma once
/// The shape every coroutine execution model has (DESIGN.md, "Execution models"): the `StackfulModel`
/// primitives, as awaitables for tasks that are C++20 coroutines (`coro::Task<void>`).
///
/// A coroutine model is a policy type, one header + one source in harness/models/, with a
/// `static constexpr ModelInfo info`, its `static constexpr ModelHooks hooks` (models/model_hooks.hpp), a
/// constructor from the cell's ModelContext, its scheduler and the primitives below (the shared machinery is in
/// harness/models/coro/; `CoroutineModelOn<Scheduler, Info>`, coroutine_model_on.hpp, is all of it but the
/// scheduler and the info). Workload bodies are written once as coroutine templates over `CoroutineModel`;
/// adding a model is its file pair plus one line in model_registry.hpp. The concept is checked where each model
/// is defined.

#include <chrono>
#include <concepts>
#include <cstddef>
#include <optional>
#include <type_traits>

#include "harness/models/coro/awaitable.hpp"
#include "harness/models/coro/scheduler.hpp"
#include "harness/models/coro/task.hpp"
#include "harness/models/coro/task_group.hpp"
#include "harness/models/model.hpp"

namespace concbench {

template <class M>
concept CoroutineModel = requires(M& model, std::size_t tasks, const coro::TaskBody& body,
                                  std::chrono::nanoseconds wait, typename M::Mutex& mutex,
                                  typename M::template Channel<int>& channel, typename M::TaskGroup& group) {
  requires std::same_as<std::remove_cvref_t<decltype(M::info)>, ModelInfo>;
  // Every optional hook, each left at its default or provided (ModelHooks).
  requires DeclaresModelHooks<M>;
  // Built from the cell's context (cores, parameters, calibration), inside the cell's process.
  requires std::constructible_from<M, const ModelContext&>;
  requires std::movable<M>;  // built by the registry, then moved into the cell
  requires coro::Scheduler<typename M::Scheduler>;

  // From outside the model (a plain function, e.g. a cell's run_once): runs the tasks body(0..tasks-1) to
  // their end and returns. An exception thrown by a task is rethrown here, after every task has ended (the
  // first one thrown, when several tasks throw).
  { model.run_tasks(tasks, body) } -> std::same_as<WorkerUse>;

  // Inside a task: the same fork-join, awaited.
  { M::fork_join(tasks, body) } -> std::same_as<coro::Task<void>>;
  // Inside a task: spawn tasks one by one and join them (TaskGroup::spawn takes a coro::Task<void>).
  group.spawn(coro::Task<void>{});
  { group.join() } -> coro::AwaitableOf<void>;
  // A blocking wait (emulated I/O): the calling task is suspended for `wait`; the model's threads run other
  // tasks meanwhile.
  { M::block_for(wait) } -> coro::AwaitableOf<void>;
  // Lets other tasks of the model run.
  { M::yield() } -> coro::AwaitableOf<void>;

  // A mutex whose lock suspends the task, not its thread: `auto lock = co_await mutex.lock();`.
  requires std::default_initializable<typename M::Mutex>;
  { mutex.lock() } -> coro::AwaitableOf<typename M::Mutex::ScopedLock>;
  { mutex.try_lock() } -> std::same_as<bool>;
  mutex.unlock();

  // A bounded channel whose send and receive suspend the task (semantics of `BoundedChannel`, model.hpp).
  requires std::constructible_from<typename M::template Channel<int>, std::size_t>;
  { channel.send(1) } -> coro::AwaitableOf<void>;
  { channel.receive() } -> coro::AwaitableOf<std::optional<int>>;
  channel.close();
};

}  // namespace concbench
