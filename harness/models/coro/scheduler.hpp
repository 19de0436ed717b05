#pragma once
/// `Scheduler`: what the coroutine primitives (task group, mutex, channel, yield, sleep) need from the thing
/// that resumes coroutines, and the two awaitables that need nothing else (`Yield`, `SleepFor`).
///
/// Two schedulers implement it: `EventLoop` (models/coroutine.hpp, one thread) and `CoroutinePool`
/// (models/coroutine_pool.hpp, N threads). The primitives are templates over the scheduler so the
/// single-threaded one pays for no lock and no atomic instruction (`Lock` is `NullLock` there).

#include <chrono>
#include <concepts>
#include <coroutine>
#include <mutex>

namespace concbench::coro {

using Clock = std::chrono::steady_clock;

/// The `Lock` of a scheduler whose tasks all run on one thread: guards nothing, costs nothing.
struct NullLock {
  void lock() noexcept {}
  void unlock() noexcept {}
};

template <class S>
concept Scheduler = requires(S& scheduler, std::coroutine_handle<> handle, Clock::time_point deadline) {
  // Whether tasks may run on several threads at once (the primitives' counters are atomic only then).
  { S::kMultiThreaded } -> std::convertible_to<bool>;
  // Guards a primitive's state (waiter lists, buffer): std::mutex on a pool, NullLock on one thread.
  requires std::default_initializable<typename S::Lock>;
  // The scheduler running the calling task (a thread-local: each of its threads sets it).
  { S::current() }
  noexcept->std::same_as<S*>;
  // Makes `handle` ready to run. Callable from any of the scheduler's threads (from any thread on a pool).
  // The caller must not touch the suspended coroutine's frame after this: it may already be running.
  { scheduler.post(handle) }
  noexcept;
  // Makes a task just spawned by the calling task ready (a TaskGroup's spawn). Same rule as post(), but the
  // scheduler may run it before older ready tasks (see kSpawnsDepthFirst).
  { scheduler.spawn(handle) }
  noexcept;
  // Whether spawn() runs a spawner's children before older ready tasks (depth first: a tree of spawns keeps
  // only its depth × fan-out frames alive) or behind them (a FIFO: the whole tree is alive at once).
  { S::kSpawnsDepthFirst } -> std::convertible_to<bool>;
  // Makes `handle` ready at `deadline`, without blocking any thread meanwhile. Same rule as post().
  { scheduler.post_at(deadline, handle) }
  noexcept;
};

/// `co_await Yield<S>{}`: lets the other ready tasks run, then continues (at the back of the ready queue).
template <Scheduler S>
struct [[nodiscard]] Yield {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> self) const noexcept { S::current()->post(self); }
  void await_resume() const noexcept {}
};

/// `co_await SleepFor<S>(d)`: the blocking wait of the coroutine models (emulated I/O). The task leaves the
/// ready queue for the scheduler's timer queue; other tasks run meanwhile.
template <Scheduler S>
class [[nodiscard]] SleepFor {
 public:
  explicit SleepFor(std::chrono::nanoseconds wait) noexcept : wait_(wait) {}
  bool await_ready() const noexcept { return wait_ <= std::chrono::nanoseconds::zero(); }
  void await_suspend(std::coroutine_handle<> self) const noexcept { S::current()->post_at(Clock::now() + wait_, self); }
  void await_resume() const noexcept {}

 private:
  std::chrono::nanoseconds wait_;
};

}  // namespace concbench::coro
