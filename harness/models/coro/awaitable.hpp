#pragma once
/// What `co_await` accepts, as a concept: used to state the shape of the coroutine models' primitives.

#include <concepts>
#include <coroutine>

namespace concbench::coro {

/// An awaiter: the three members `co_await` calls, resuming with a `Result`.
template <class A, class Result>
concept AwaiterOf = requires(A& awaiter, std::coroutine_handle<> handle) {
  { awaiter.await_ready() } -> std::convertible_to<bool>;
  awaiter.await_suspend(handle);
  { awaiter.await_resume() } -> std::same_as<Result>;
};

/// Something `co_await` turns into an awaiter resuming with a `Result`: an awaiter itself, or a type with a
/// member `operator co_await` (as `Task` has).
template <class A, class Result>
concept AwaitableOf = AwaiterOf<A, Result> || requires(A&& awaitable) {
  { static_cast<A&&>(awaitable).operator co_await() } -> AwaiterOf<Result>;
};

}  // namespace concbench::coro
