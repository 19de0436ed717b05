#pragma once
/// How control passes from one coroutine to the next: `resume()` is where a scheduler's thread enters
/// coroutines, `transfer_to()` is what an await_suspend returns to continue with another coroutine.
///
/// Normally that is symmetric transfer: await_suspend returns the next coroutine's handle and the compiler
/// jumps into it with a tail call, so chains of transfers (a task awaiting a million tasks that finish at once)
/// run in constant stack. GCC 12 makes that call a tail call only with -foptimize-sibling-calls (-O2 and up:
/// not at -O1, which the debug, asan and tsan presets use), and never under ASan or TSan (their
/// instrumentation runs after the call, at any -O): there every transfer nests a stack frame until the stack
/// overflows. Those builds use a trampoline instead: transfer_to() leaves the next handle in a thread-local
/// and suspends to the trampoline loop in resume(), which resumes it. Same order of execution, constant stack,
/// a little slower. The preprocessor cannot tell -O1 from -O2, so symmetric transfer is used when optimising
/// with NDEBUG (Release, RelWithDebInfo: what is measured) and no sanitizer; -DCONCBENCH_CORO_TRAMPOLINE=0/1
/// overrides. A test awaits a million tasks in a row in every preset (see docs/traps.md).

#include <cassert>
#include <coroutine>
#include <utility>

#if !defined(CONCBENCH_CORO_TRAMPOLINE)
#if !defined(NDEBUG) || !defined(__OPTIMIZE__) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CONCBENCH_CORO_TRAMPOLINE 1
#else
#define CONCBENCH_CORO_TRAMPOLINE 0
#endif
#endif

namespace concbench::coro {

#if CONCBENCH_CORO_TRAMPOLINE
namespace detail {
inline thread_local std::coroutine_handle<> trampoline_next;  // the coroutine to resume after this one
inline thread_local bool trampoline_running = false;
}  // namespace detail
#endif

/// Resumes `handle`, and every coroutine it transfers to, until control comes back to this thread's caller.
/// The one way a scheduler starts coroutines; not called from inside a coroutine.
inline void resume(std::coroutine_handle<> handle) noexcept {
#if CONCBENCH_CORO_TRAMPOLINE
  assert(!detail::trampoline_running && "resume() is not reentrant");
  detail::trampoline_running = true;
  while (handle) {
    handle.resume();  // a task's exception is caught by its promise: resume() does not throw
    handle = std::exchange(detail::trampoline_next, {});
  }
  detail::trampoline_running = false;
#else
  handle.resume();  // a task's exception is caught by its promise: resume() does not throw
#endif
}

/// The value for an await_suspend to return to continue with `next` on this thread; a null `next` means
/// none: back to the scheduler's loop.
inline std::coroutine_handle<> transfer_to(std::coroutine_handle<> next) noexcept {
#if CONCBENCH_CORO_TRAMPOLINE
  if (next) {
    assert(detail::trampoline_running && !detail::trampoline_next && "coroutines run inside coro::resume()");
    detail::trampoline_next = next;
  }
  return std::noop_coroutine();
#else
  return next ? next : std::noop_coroutine();
#endif
}

}  // namespace concbench::coro
