#pragma once
/// `Task<T>`: the coroutine type of the coroutine models (a lazy task in the style of cppcoro's `task`).
///
/// A task starts suspended and runs in one of two ways:
///  - awaited (`co_await task`): the awaiter suspends and the task starts by symmetric transfer; when it ends,
///    its final suspension transfers back to the awaiter, which gets the result or the rethrown exception.
///    The `Task` object owns the frame and frees it.
///  - spawned (by a scheduler, see `spawned()`): the task owns its frame and frees it when it ends, after
///    handing its exception (if any) to a `Completion`, which may name the coroutine to resume next (the
///    joiner, by symmetric transfer).
/// Symmetric transfer is what keeps chains of tasks off the stack; every hand-over goes through
/// `transfer_to()` (resume.hpp), which falls back to a trampoline in builds where GCC 12 does not make it a
/// tail call.

#include <cassert>
#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include "harness/models/coro/detail/frame_cache.hpp"
#include "harness/models/coro/frame.hpp"
#include "harness/models/coro/resume.hpp"

namespace concbench::coro {

template <class T = void>
class Task;

namespace detail {

/// Told when a spawned task ends.
class Completion {
 public:
  /// `error` is the task's exception, null when it succeeded. Returns the coroutine to resume next on this
  /// thread (a null handle for none: back to the scheduler's loop).
  virtual std::coroutine_handle<> task_done(std::exception_ptr error) noexcept = 0;

 protected:
  Completion() = default;
  Completion(const Completion&) = default;
  Completion& operator=(const Completion&) = default;
  ~Completion() = default;
};

class PromiseBase {
  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }

    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) const noexcept {
      PromiseBase& promise = self.promise();
      if (promise.completion_ == nullptr) return transfer_to(promise.continuation_);  // awaited: to the awaiter
      return finish_spawned(self, promise);
    }

    /// Spawned: the task owns its frame. Copy out what is needed, free the frame, then report; nothing of
    /// the frame (this awaiter and the promise included) is touched after destroy(). Out of line: inlined,
    /// its calls make every resumption of every task save and restore a callee-saved register more.
    [[gnu::noinline]] static std::coroutine_handle<> finish_spawned(std::coroutine_handle<> self,
                                                                    PromiseBase& promise) noexcept {
      Completion* completion = promise.completion_;
      std::exception_ptr error = std::move(promise.error_);
      self.destroy();
      return transfer_to(completion->task_done(std::move(error)));
    }

    void await_resume() const noexcept {}
  };

 public:
  /// Frames come from the calling thread's cache of freed ones (detail/frame_cache.hpp).
  static void* operator new(std::size_t size) { return FrameCache::allocate(size); }
  static void operator delete(void* frame, std::size_t size) noexcept { FrameCache::deallocate(frame, size); }

  std::suspend_always initial_suspend() const noexcept { return {}; }  // lazy: starts when awaited or spawned
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { error_ = std::current_exception(); }

  void set_continuation(std::coroutine_handle<> awaiter) noexcept { continuation_ = awaiter; }
  void set_completion(Completion& completion) noexcept { completion_ = &completion; }

 protected:
  void rethrow_if_failed() {
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  std::coroutine_handle<> continuation_;  // null: started by hand (tests), nobody to go back to
  Completion* completion_ = nullptr;
  std::exception_ptr error_;
};

template <class T>
class Promise final : public PromiseBase {
 public:
  Task<T> get_return_object() noexcept;

  template <class U>
  void return_value(U&& value) {
    value_.emplace(std::forward<U>(value));
  }

  T take_result() {
    rethrow_if_failed();
    assert(value_.has_value());
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class Promise<void> final : public PromiseBase {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void take_result() { rethrow_if_failed(); }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() noexcept = default;
  explicit Task(Handle handle) noexcept : frame_(handle) {}

  explicit operator bool() const noexcept { return static_cast<bool>(frame_.get()); }

  /// Runs the task to its end (once): its result, or its exception rethrown.
  auto operator co_await() noexcept {
    struct Awaiter {
      Handle task;
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) const noexcept {
        task.promise().set_continuation(awaiter);
        return transfer_to(task);  // symmetric transfer into the task
      }
      T await_resume() const { return task.promise().take_result(); }
    };
    assert(frame_.get() && !frame_.get().done());
    return Awaiter{frame_.get()};
  }

  /// Gives up the frame, for `spawned()`.
  Handle release() noexcept { return frame_.release(); }

 private:
  OwnedFrame<promise_type> frame_;  // move-only: so is the task
};

namespace detail {

template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}

inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

/// Turns `task` into a spawned task reporting to `completion`: the returned handle starts it, and from then
/// on the frame belongs to the task itself.
inline std::coroutine_handle<> spawned(Task<void> task, Completion& completion) noexcept {
  auto handle = task.release();
  assert(handle);
  handle.promise().set_completion(completion);
  return handle;
}

}  // namespace detail
}  // namespace concbench::coro
