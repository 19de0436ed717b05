#pragma once
/// The shape every stackful execution model has (DESIGN.md, "Execution models").
///
/// A model is a policy type: one header + one source in harness/models/, a `static constexpr ModelInfo info`,
/// its `static constexpr ModelHooks hooks` (the optional parts, models/model_hooks.hpp), a constructor from the
/// cell's ModelContext (harness/core/model_context.hpp), and the primitives below. Workload bodies are written once as
/// templates over `StackfulModel`; adding a model is its file pair plus one line in model_registry.hpp. The concept is
/// checked where each model is defined.

#include <chrono>
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "harness/core/model_context.hpp"
#include "harness/core/model_info.hpp"
#include "harness/models/model_hooks.hpp"

namespace concbench {

/// The body of task `index` of a fork-join.
using TaskBody = std::function<void(std::size_t index)>;

/// Thrown by a primitive that can never complete: e.g. on `sequential`, a channel send to a full channel
/// (no other task can run until this one ends) or locking a mutex the task already holds. Failing loudly
/// beats hanging until the watchdog kills the cell.
class DeadlockError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

/// A model's mutex: the standard Lockable requirements (usable with std::lock_guard / std::unique_lock).
template <class L>
concept Lockable = std::default_initializable<L> && requires(L& lock) {
  lock.lock();
  lock.unlock();
  { lock.try_lock() } -> std::convertible_to<bool>;
};

/// A model's bounded channel of `T`: a FIFO holding at most `capacity` items (capacity ≥ 1, else
/// std::invalid_argument).
///  - `send(item)` blocks the task while the channel is full; sending on a closed channel throws
///    std::logic_error. Close only after every send has returned (as in Go).
///  - `receive()` blocks while the channel is empty and open; returns std::nullopt once it is closed and drained.
///  - `close()` wakes every blocked receiver; items already sent are still delivered.
/// The channel must outlive every task that uses it (destroy it after the join).
template <class C, class T>
concept BoundedChannel = std::constructible_from<C, std::size_t> && requires(C& channel, T item) {
  { channel.send(std::move(item)) } -> std::same_as<void>;
  { channel.receive() } -> std::same_as<std::optional<T>>;
  { channel.close() } -> std::same_as<void>;
};

template <class M>
concept StackfulModel = requires(M& model, std::size_t tasks, const TaskBody& body, std::chrono::nanoseconds wait) {
  requires std::same_as<std::remove_cvref_t<decltype(M::info)>, ModelInfo>;
  // Every optional hook, each left at its default or provided (ModelHooks).
  requires DeclaresModelHooks<M>;
  // Built from the cell's context (cores, parameters, calibration), inside the cell's process.
  requires std::constructible_from<M, const ModelContext&>;
  requires std::movable<M>;  // built by the registry, then moved into the cell
  // Spawns `tasks` tasks running body(0..tasks-1) and joins them all. An exception thrown by a task
  // is rethrown here, after every task has ended (the first one thrown, when several tasks throw).
  { model.run_tasks(tasks, body) } -> std::same_as<WorkerUse>;
  // A blocking wait (emulated I/O): the calling task blocks for `wait`; other tasks may run meanwhile.
  { M::block_for(wait) } -> std::same_as<void>;
  // Lets other tasks of the model run.
  { M::yield() } -> std::same_as<void>;
  // A mutex for the model's tasks.
  requires Lockable<typename M::Mutex>;
  // A bounded channel for the model's tasks: only named here. Its shape (`BoundedChannel`) is checked by
  // `StackfulModelChannels` where the channel type is complete: the `tbb` channel keeps oneTBB's headers out
  // of this widely included header, so a workload body that uses channels includes models/channels.hpp.
  typename M::template Channel<int>;
};

/// The full channel shape of a stackful model, for an item type that is copyable and one that is move-only.
template <class M>
concept StackfulModelChannels = BoundedChannel < typename M::template Channel<int>,
int > &&BoundedChannel<typename M::template Channel<std::unique_ptr<int>>, std::unique_ptr<int>>;

/// What each model's source checks where its channel type is complete: the model and its channels' shape.
template <class M>
concept CompleteStackfulModel = StackfulModel<M> && StackfulModelChannels<M>;

}  // namespace concbench
