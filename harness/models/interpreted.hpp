#pragma once
/// What interpreted code does that compiled code does not: the global-lock models (`gil`, `gil-legacy`)
/// stand for an interpreter, so workload bodies mark each tick of work and each blocking system call.
/// For every other model both are free: `tick<M>()` compiles to nothing and `blocking_call<M>(f)` is `f()`.
/// Each helper reads one hook of the model (M::hooks, models/model_hooks.hpp), whose default it follows.

#include <chrono>
#include <optional>
#include <utility>

#include "harness/models/model_hooks.hpp"

namespace concbench {

/// Whether `tasks` tasks that wait on each other can all make progress on `workers` threads of model M:
/// always, but for models whose tasks keep their thread to the end (tbb) when there are fewer threads.
template <class M>
constexpr bool can_interleave(int tasks, int workers) {
  return !M::hooks.tasks_run_to_completion || workers >= tasks;
}

/// Whether model M runs interpreted ticks (ModelHooks::checkpoint).
template <class M>
inline constexpr bool runs_ticks = M::hooks.checkpoint.set;

/// One tick (one bytecode's worth) of work is done: CPython checks its eval breaker here.
template <class M>
inline void tick() {
  if constexpr (runs_ticks<M>) M::hooks.checkpoint();
}

/// A blocking system call: the interpreter releases its lock around it (Py_BEGIN/END_ALLOW_THREADS), and takes
/// it back even when the call throws.
template <class M, class Call>
inline void blocking_call(Call&& call) {
  if constexpr (M::hooks.before_blocking_call.set) {
    struct TakeBack {
      ~TakeBack() { M::hooks.after_blocking_call(); }
    };
    M::hooks.before_blocking_call();
    [[maybe_unused]] TakeBack take_back;
    std::forward<Call>(call)();
  } else {
    std::forward<Call>(call)();
  }
}

/// How long the calling task's thread has held its model's global lock so far (the hold in progress
/// included), for the models that have one (`gil`, `gil-legacy`); std::nullopt for the others. Read it at
/// the start and the end of a task: the difference is what the task held.
template <class M>
inline std::optional<std::chrono::nanoseconds> global_lock_held() {
  if constexpr (M::hooks.held_by_this_thread.set) {
    return M::hooks.held_by_this_thread();
  } else {
    return std::nullopt;
  }
}

}  // namespace concbench
