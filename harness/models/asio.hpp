#pragma once
/// `asio` and `asio-pool`: the coroutines of `coroutine` resumed by Boost.Asio. `asio` is an `io_context` run
/// by one thread (the C++ counterpart of asyncio's event loop), `asio-pool` one `io_context` run by N threads
/// (N = cores).
///
/// The ready queue is Asio's: post() is `asio::post` to the io_context, spawn() `asio::defer` (Asio's
/// continuation hint: the child stays in the spawning thread's private queue until the spawner's handler
/// returns, with no other thread woken for it), post_at() an `asio::steady_timer` whose handler resumes the
/// task. Asio's queue is a FIFO, so a tree of spawns unfolds breadth first (kSpawnsDepthFirst is false). The
/// root task is awaited by an `asio::awaitable` started with `asio::co_spawn`, through an `async_initiate`d
/// completion that the root's end fires. No strands: every handler resumes a different coroutine, and the
/// primitives over a multi-threaded scheduler take their own lock. Asio's headers stay in asio.cpp (they
/// would otherwise be compiled by every workload through the registry). The models are
/// CoroutineModelOn<AsioScheduler<...>, ...> (coroutine_model_on.hpp): this file holds the scheduler.

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <memory>
#include <type_traits>

#include "harness/models/coro/scheduler.hpp"
#include "harness/models/coro/task.hpp"
#include "harness/models/coroutine_model_on.hpp"
#include "harness/models/root_scheduler_base.hpp"

namespace concbench {

namespace asio_detail {
/// The Asio objects of one scheduler (asio.cpp).
struct Context;
}  // namespace asio_detail

/// One io_context: run by the thread that calls run() (`MultiThreaded` false) or by a pool of N threads.
/// Spawns breadth first (kSpawnsDepthFirst false): Asio's ready queue is a FIFO.
template <bool MultiThreaded>
class AsioScheduler final : public RootSchedulerBase<AsioScheduler<MultiThreaded>, MultiThreaded, false>,
                            private coro::detail::Completion {
 public:
  /// One thread: `cores` is ignored (the caller of run() runs the loop). A pool of N = max(cores, 1) > 1
  /// starts N threads, which wait in the io_context until there is work while run()'s caller waits for the
  /// run's end (an io_context cannot wake one given thread, so the caller cannot be one of its runners and
  /// still leave when the root ends elsewhere). A pool of one is run()'s caller, as `asio` is: no thread to
  /// hand each run over to and back from (two wake-ups a run, 0.70-0.74 of pingpong's floor at 1 core).
  explicit AsioScheduler(int cores);
  /// A pool stops and joins its threads. No task may be running (run() has returned).
  ~AsioScheduler();

  void post(std::coroutine_handle<> handle) noexcept;
  void spawn(std::coroutine_handle<> handle) noexcept;
  void post_at(coro::Clock::time_point deadline, std::coroutine_handle<> handle) noexcept;

  /// From outside the scheduler: runs `root` and every task it spawns until the root ended; rethrows its
  /// exception. Throws DeadlockError when no handler is queued or running and no timer is pending while the
  /// root has not ended (every remaining task waits for another); those frames leak.
  void run(coro::Task<void> root);
  int workers() const noexcept { return workers_; }

 private:
  using Count = std::conditional_t<MultiThreaded, std::atomic<std::int64_t>, std::int64_t>;

  /// The root's end: records it and completes the awaitable that waits for it.
  std::coroutine_handle<> task_done(std::exception_ptr error) noexcept override;
  /// Counts a handle made ready (before its handler is queued).
  void readied() noexcept;
  /// Resumes `handle` (a handler's body), then counts it done: the last one out with the root still running
  /// is a deadlock.
  void resume(std::coroutine_handle<> handle) noexcept;
  /// Nothing queued, running or timed: the root ended, or it never can.
  void went_quiet() noexcept;
  /// Whether run()'s caller runs the io_context itself (one thread, or a pool of one) rather than waiting.
  bool runs_on_caller() const noexcept { return !MultiThreaded || workers_ == 1; }
  /// The root's awaitable (co_spawn'd); asio.cpp.
  friend struct asio_detail::Context;

  using RootSchedulerBase<AsioScheduler, MultiThreaded, false>::current_;

  const int workers_;
  std::unique_ptr<asio_detail::Context> context_;
  Count live_{0};  // handles posted, spawned or timed and not yet resumed, plus those being resumed
  // Written by the root's end or went_quiet(), read by run(): under context_'s mutex on a pool.
  bool root_ended_ = false;
  bool quiet_ = false;
  bool awaited_ = false;  // the co_spawn'd awaitable has completed
  std::exception_ptr root_error_;
};

extern template class AsioScheduler<false>;
extern template class AsioScheduler<true>;

inline constexpr ModelInfo kAsioInfo =
    on_one_thread("asio", "C++20 coroutines on a Boost.Asio io_context run by one thread", "coroutine");
using AsioModel = CoroutineModelOn<AsioScheduler<false>, kAsioInfo>;

/// The io_context is run by one thread per core (at least one).
inline constexpr ModelInfo kAsioPoolInfo =
    on_threads("asio-pool", "C++20 coroutines on a Boost.Asio io_context run by N threads", "coroutine");
using AsioPoolModel = CoroutineModelOn<AsioScheduler<true>, kAsioPoolInfo>;

}  // namespace concbench
