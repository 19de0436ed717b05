#pragma once
/// What interpreted code does that compiled code does not: the global-lock models (`gil`, `gil-legacy`)
/// stand for an interpreter, so workload bodies mark each tick of work and each blocking system call.
/// For every other model both are free: `tick<M>()` compiles to nothing and `blocking_call<M>(f)` is `f()`.

#include <utility>

namespace concbench {

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

}  // namespace concbench
