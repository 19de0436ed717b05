#pragma once
/// `RootSchedulerBase<S, MultiThreaded, SpawnsDepthFirst>`: what the class of every coroutine model's scheduler
/// (EventLoop, CoroutinePool, AsioScheduler) shares besides its queues: the kind the primitives read
/// (coro::Scheduler's kMultiThreaded, kSpawnsDepthFirst and the Lock that goes with the first), no copies (its
/// tasks point to it), and `current()`, which each thread that runs its tasks sets while it does.

#include <mutex>
#include <type_traits>

#include "harness/models/coro/scheduler.hpp"

namespace concbench {

template <class S, bool MultiThreaded, bool SpawnsDepthFirst>
class RootSchedulerBase {
 public:
  static constexpr bool kMultiThreaded = MultiThreaded;
  static constexpr bool kSpawnsDepthFirst = SpawnsDepthFirst;
  /// A real mutex only where tasks run on several threads at once.
  using Lock = std::conditional_t<MultiThreaded, std::mutex, coro::NullLock>;

  RootSchedulerBase(const RootSchedulerBase&) = delete;
  RootSchedulerBase& operator=(const RootSchedulerBase&) = delete;

  /// The scheduler running the calling task (null on any other thread).
  static S* current() noexcept { return current_; }

 protected:
  RootSchedulerBase() = default;
  ~RootSchedulerBase() = default;

  static constinit inline thread_local S* current_ = nullptr;
};

}  // namespace concbench
