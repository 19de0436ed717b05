#include "harness/models/asio.hpp"

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cassert>
#include <condition_variable>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "harness/models/coro/resume.hpp"
#include "harness/models/coroutine_model.hpp"

namespace concbench {

static_assert(CoroutineModel<AsioModel>);
static_assert(CoroutineModel<AsioPoolModel>);

namespace asio = boost::asio;

namespace asio_detail {

/// What the root's awaitable is resumed with: the completion handler of an `async_initiate` under
/// `use_awaitable`.
using RootHandler = asio::async_result<asio::use_awaitable_t<>, void()>::handler_type;

struct Context {
  /// Asio's concurrency hint is the number of threads that run the context: with 1, a handler posted from
  /// inside a handler goes to the thread's private queue without a lock.
  explicit Context(int runners) : io(runners) {}

  /// Waits for the root to end: hands the handler that resumes it to `scheduler` (task_done fires it), then
  /// makes the root ready.
  template <bool MultiThreaded>
  static asio::awaitable<void> await_root(AsioScheduler<MultiThreaded>& scheduler, coro::Task<void> root) {
    co_await asio::async_initiate<const asio::use_awaitable_t<>&, void()>(
        [&scheduler, &root](RootHandler handler) {
          scheduler.context_->root_handler.emplace(std::move(handler));
          scheduler.post(coro::detail::spawned(std::move(root), scheduler));
        },
        asio::use_awaitable);
  }

  asio::io_context io;
  std::optional<RootHandler> root_handler;  // set while the root runs
  // A pool's: its threads, kept in io.run() between runs by the guard; run() waits on `done` for the root's
  // end (or a deadlock), under `mutex`.
  std::mutex mutex;
  std::condition_variable done;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  std::vector<std::thread> threads;
};

}  // namespace asio_detail

template <bool MultiThreaded>
AsioScheduler<MultiThreaded>::AsioScheduler(int cores)
    : workers_(MultiThreaded ? std::max(cores, 1) : 1), context_(std::make_unique<asio_detail::Context>(workers_)) {
  if (!runs_on_caller()) {
    context_->keep_running.emplace(context_->io.get_executor());
    for (int i = 0; i < workers_; ++i) {
      context_->threads.emplace_back([this] {
        current_ = this;
        context_->io.run();
        current_ = nullptr;
      });
    }
  }
}

template <bool MultiThreaded>
AsioScheduler<MultiThreaded>::~AsioScheduler() {
  if constexpr (MultiThreaded) {
    context_->keep_running.reset();
    context_->io.stop();
    for (auto& thread : context_->threads) thread.join();
  }
}

template <bool MultiThreaded>
void AsioScheduler<MultiThreaded>::readied() noexcept {
  if constexpr (MultiThreaded) {
    live_.fetch_add(1, std::memory_order_relaxed);  // the handler's queueing publishes it to whoever runs it
  } else {
    ++live_;
  }
}

template <bool MultiThreaded>
void AsioScheduler<MultiThreaded>::resume(std::coroutine_handle<> handle) noexcept {
  coro::resume(handle);
  if constexpr (MultiThreaded) {
    // acq_rel: the last one out sees every other handler's writes (the root's end among them).
    if (live_.fetch_sub(1, std::memory_order_acq_rel) == 1) went_quiet();
  } else {
    if (--live_ == 0) went_quiet();
  }
}

template <bool MultiThreaded>
void AsioScheduler<MultiThreaded>::went_quiet() noexcept {
  // Only a handler makes a task ready (or run(), for the root), so with none queued, running or timed, no
  // task can ever be resumed again.
  if (runs_on_caller()) {
    // The co_spawn'd awaitable keeps the io_context's work count up (its work guard) while the root runs, so
    // a deadlock would never make run() return by itself.
    if (!root_ended_) context_->io.stop();
  } else {
    {
      std::lock_guard lock(context_->mutex);
      quiet_ = true;
    }
    context_->done.notify_one();
  }
}

template <bool MultiThreaded>
void AsioScheduler<MultiThreaded>::post(std::coroutine_handle<> handle) noexcept {
  readied();
  asio::post(context_->io, [this, handle] { resume(handle); });
}

template <bool MultiThreaded>
void AsioScheduler<MultiThreaded>::spawn(std::coroutine_handle<> handle) noexcept {
  readied();
  asio::defer(context_->io, [this, handle] { resume(handle); });
}

template <bool MultiThreaded>
void AsioScheduler<MultiThreaded>::post_at(coro::Clock::time_point deadline, std::coroutine_handle<> handle) noexcept {
  readied();
  // One timer per wait, owned by its handler (freed when the handler is). Asio resumes a wait only once the
  // deadline has passed (a timer the reactor wakes early for is re-armed).
  auto timer = std::make_unique<asio::steady_timer>(context_->io, deadline);
  auto& waiting = *timer;
  waiting.async_wait([this, handle, timer = std::move(timer)](const boost::system::error_code&) { resume(handle); });
}

template <bool MultiThreaded>
std::coroutine_handle<> AsioScheduler<MultiThreaded>::task_done(std::exception_ptr error) noexcept {
  // A root that run() gave up on as deadlocked, finished since (its waits woken from outside): nobody awaits it.
  if (!context_->root_handler) return {};
  // Inside the root's last resume: the awaitable is resumed by a handler of its own, never nested in here.
  auto handler = std::move(*context_->root_handler);
  context_->root_handler.reset();
  if constexpr (MultiThreaded) {
    std::lock_guard lock(context_->mutex);
    root_ended_ = true;
    root_error_ = std::move(error);
  } else {
    root_ended_ = true;
    root_error_ = std::move(error);
  }
  asio::post(context_->io, std::move(handler));
  return {};
}

template <bool MultiThreaded>
void AsioScheduler<MultiThreaded>::run(coro::Task<void> root) {
  auto& context = *context_;
  root_ended_ = false;
  quiet_ = false;
  awaited_ = false;
  const auto awaited = [this](const std::exception_ptr&) {
    if constexpr (MultiThreaded) {
      {
        std::lock_guard lock(context_->mutex);
        awaited_ = true;
      }
      context_->done.notify_one();
    } else {
      awaited_ = true;
    }
  };
  if (runs_on_caller()) {
    assert(current_ == nullptr && "one scheduler per thread, and run() is not reentrant");
    current_ = this;
    context.io.restart();  // after a deadlock stopped it
    asio::co_spawn(context.io, asio_detail::Context::await_root(*this, std::move(root)), awaited);
    context.io.run();
    current_ = nullptr;
  } else {
    assert(current_ == nullptr && "run() is called from outside the pool");
    asio::co_spawn(context.io, asio_detail::Context::await_root(*this, std::move(root)), awaited);
    std::unique_lock lock(context.mutex);
    // Quiet with the root ended is the end of the run, once the awaitable has completed too; quiet without it
    // is a deadlock.
    context.done.wait(lock, [this] { return quiet_ && (awaited_ || !root_ended_); });
  }
  if (!root_ended_) {
    // The awaitable waits for a root that never ends: dropping its handler has Asio destroy its frames.
    context.root_handler.reset();
    throw DeadlockError(std::string(MultiThreaded ? kAsioPoolInfo.id : kAsioInfo.id) +
                        ": every remaining task waits for another");
  }
  if (root_error_) std::rethrow_exception(std::exchange(root_error_, nullptr));
}

template class AsioScheduler<false>;
template class AsioScheduler<true>;

}  // namespace concbench
