#pragma once
/// What interpreted code does that compiled code does not: the global-lock models (`gil`, `gil-legacy`)
/// stand for an interpreter, so workload bodies mark each tick of work and each blocking system call.
/// For every other model both are free: `tick<M>()` compiles to nothing and `blocking_call<M>(f)` is `f()`.

#include <chrono>
#include <optional>
#include <utility>

namespace concbench {

/// Whether `tasks` tasks that wait on each other can all make progress on `workers` threads of model M:
/// always, but for models whose tasks keep their thread to the end (tbb) when there are fewer threads.
template <class M>
constexpr bool can_interleave(int tasks, int workers) {
  if constexpr (requires { M::tasks_run_to_completion; }) {
    return !M::tasks_run_to_completion || workers >= tasks;
  } else {
    return true;
  }
}

/// One tick (one bytecode's worth) of work is done: CPython checks its eval breaker here.
template <class M>
inline void tick() {
  if constexpr (requires { M::checkpoint(); }) M::checkpoint();
}

/// A blocking system call: the interpreter releases its lock around it (Py_BEGIN/END_ALLOW_THREADS).
template <class M, class Call>
inline void blocking_call(Call&& call) {
  if constexpr (requires { M::release_around(std::forward<Call>(call)); }) {
    M::release_around(std::forward<Call>(call));
  } else {
    std::forward<Call>(call)();
  }
}

/// How long the calling task's thread has held its model's global lock so far (the hold in progress
/// included), for the models that have one (`gil`, `gil-legacy`); std::nullopt for the others. Read it at
/// the start and the end of a task: the difference is what the task held.
template <class M>
inline std::optional<std::chrono::nanoseconds> global_lock_held() {
  if constexpr (requires { M::held_by_this_thread(); }) {
    return M::held_by_this_thread();
  } else {
    return std::nullopt;
  }
}

}  // namespace concbench
