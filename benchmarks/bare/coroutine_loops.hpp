#pragma once
/// The floors' coroutine (`bare`, models/bare.hpp): the least a C++20 task needs, hand-written, not the
/// models' coro::Task. It starts suspended; `co_await task` starts it by symmetric transfer and its end
/// transfers back to the awaiter, which gets the value; one that nobody awaits (started by coro::resume, or
/// by a peer's transfer) returns to whoever resumed it when it ends. The Task owns its frame (coro::OwnedFrame,
/// the one piece it shares with the models' task). No exception
/// travels: a floor's body does not throw (one that did would end the process). Shared by pingpong's
/// symmetric-transfer, spawn's coroutine-join, prodcons' coroutine-channel and counter's coroutine-mutex.

#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>

#include "harness/models/coro/frame.hpp"
#include "harness/models/coro/resume.hpp"

namespace concbench::bare {

template <class T>
class Task;

namespace detail {

struct PromiseBase {
  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) const noexcept {
      return coro::transfer_to(self.promise().continuation);  // none: back to whoever resumed it
    }
    void await_resume() const noexcept {}
  };
  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() const noexcept { std::terminate(); }

  std::coroutine_handle<> continuation;  // the awaiter, if any
};

template <class T>
struct Promise : PromiseBase {
  Task<T> get_return_object() noexcept;
  void return_value(T result) noexcept { value = std::move(result); }
  T value{};
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
};

}  // namespace detail

template <class T = void>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() noexcept = default;
  explicit Task(Handle handle) noexcept : frame_(handle) {}

  Handle handle() const noexcept { return frame_.get(); }
  /// Its value, once it has ended.
  template <class U = T>
  requires(!std::is_void_v<U>) const U& value() const noexcept { return frame_.get().promise().value; }

  /// Starts the task and resumes the awaiter when it ends, with its value.
  auto operator co_await() const noexcept {
    struct Awaiter {
      Handle task;
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) const noexcept {
        task.promise().continuation = awaiter;
        return coro::transfer_to(task);
      }
      decltype(auto) await_resume() const noexcept {
        if constexpr (!std::is_void_v<T>) return task.promise().value;
      }
    };
    return Awaiter{frame_.get()};
  }

 private:
  coro::OwnedFrame<promise_type> frame_;  // move-only: so is the task
};

namespace detail {
template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}
}  // namespace detail

}  // namespace concbench::bare
