#pragma once
/// `fiber`: Boost.Fiber's `round_robin` scheduler on one thread (the calling one). Fibers switch only at a
/// yield or a blocking primitive, so a blocking wait suspends the fiber, never the thread.
///
/// Boost.Fiber's headers stay in fiber.cpp and fiber_ws.cpp (TRAPS.md, "Build time on 2 cores": every
/// workload binding includes model_registry.hpp): the mutex and condition variable are Boost.Fiber's own, behind
/// allocation-free wrappers whose calls go to the library anyway.

#include <chrono>
#include <cstddef>
#include <mutex>

#include "harness/models/blocking_channel.hpp"
#include "harness/models/model.hpp"

namespace concbench {

/// The bytes of one Boost.Fiber object, built in place and destroyed by the wrapper that holds them (fiber.cpp
/// checks that it fits). Not copyable, as the object in it is not: nor is a wrapper.
template <std::size_t Bytes>
struct FiberObjectStorage {
  FiberObjectStorage() = default;
  FiberObjectStorage(const FiberObjectStorage&) = delete;
  FiberObjectStorage& operator=(const FiberObjectStorage&) = delete;

  alignas(8) std::byte bytes[Bytes];
};

/// A boost::fibers::mutex: a blocked fiber is suspended and the thread runs other fibers. Usable from
/// fibers on different threads (fiber-ws).
class FiberMutex {
 public:
  FiberMutex();
  ~FiberMutex();

  void lock();
  bool try_lock();
  void unlock();

 private:
  friend class FiberCondVar;
  FiberObjectStorage<32> storage_;  // the boost::fibers::mutex
};

/// A boost::fibers::condition_variable over FiberMutex.
class FiberCondVar {
 public:
  FiberCondVar();
  ~FiberCondVar();

  void wait(std::unique_lock<FiberMutex>& lock);
  void notify_one() noexcept;
  void notify_all() noexcept;

 private:
  FiberObjectStorage<24> storage_;  // the boost::fibers::condition_variable
};

/// The shared ring-buffer channel on Boost.Fiber's mutex and condition variable: it holds exactly `capacity`
/// items. (boost::fibers::buffered_channel is not used: its capacity must be a power of two and it holds one
/// item less, so `capacity` would mean something else on the fiber models than on the others.)
template <class T>
using FiberChannel = BlockingChannel<T, FiberMutex, FiberCondVar>;

/// What both fiber models share: no optional hooks, Boost.Fiber's mutex and channel, and the fiber's own sleep
/// and yield (the thread runs the other fibers meanwhile, whichever scheduler it has).
struct FiberPrimitives {
  static constexpr ModelHooks hooks{};

  using Mutex = FiberMutex;
  template <class T>
  using Channel = FiberChannel<T>;

  /// boost::this_fiber::sleep_for: the fiber sleeps, the thread runs the others.
  static void block_for(std::chrono::nanoseconds wait);
  /// boost::this_fiber::yield: the next ready fiber runs.
  static void yield();
};

class FiberModel : public FiberPrimitives {
 public:
  static constexpr ModelInfo info = on_one_thread("fiber", "Boost.Fiber round_robin, one thread", "fiber");

  /// The stack of every fiber of both fiber models, top-level tasks and nested ones (fiber_detail.hpp, where
  /// the stacks are cached, says why this size).
  static constexpr std::size_t kStackBytes = 64 * 1024;

  explicit FiberModel(const ModelContext& /*context*/) {}
  /// Launches one fiber per task on the calling thread and joins them (the caller's main fiber waits).
  /// Called from a task (nested), it launches each child with launch::dispatch and the spawner resumes
  /// first when the child suspends (depth first). Every fiber runs on a cached 64 KiB stack (fiber_detail.hpp).
  WorkerUse run_tasks(std::size_t tasks, const TaskBody& body);

  /// Testing aid (both fiber models): while on, each fiber stack is filled with a pattern when handed out and
  /// measured when given back, and the stacks out are counted. `deepest_stack_use`: the most bytes one fiber
  /// used since it was turned on; `most_stacks_in_use`: the most stacks out at once (fibers not yet freed).
  static void measure_stack_use(bool on) noexcept;
  static std::size_t deepest_stack_use() noexcept;
  static std::size_t most_stacks_in_use() noexcept;
};

}  // namespace concbench
