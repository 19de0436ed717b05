#pragma once
/// The floors' oneTBB set-up (`bare`, models/bare.hpp): an arena of N threads, as the `tbb` model makes one
/// (the calling thread is one of the N; a global_control allows N where fewer CPUs are allowed), and the
/// happens-before edges ThreadSanitizer cannot see inside the uninstrumented libtbb, and task_group's
/// fork-join. Shared by spawn's tbb-task-group and parallel's tbb-parallel-for. Include only in the floors'
/// sources.

#include <cstddef>
#include <utility>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace concbench::bare {

class TbbArena {
 public:
  explicit TbbArena(int cores)
      : parallelism_(oneapi::tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(cores)),
        arena_(cores) {
    arena_.initialize();  // here, not in the first measured run
  }
  template <class F>
  void execute(F&& f) {
    arena_.execute(std::forward<F>(f));
  }

 private:
  oneapi::tbb::global_control parallelism_;
  oneapi::tbb::task_arena arena_;
};

/// TSan only (empty otherwise): what oneTBB guarantees a task — everything its spawner did before spawning
/// it happens before it runs, and everything it did happens before the wait that joins it. Wrap a task's body
/// with `tbb_task(f)` and call `tbb_joined()` after the wait. As in the `tbb` model (models/tbb.cpp,
/// docs/traps.md), the spawn side is released by every copy of the body once its fields are written (oneTBB
/// copies it into its task object), so what the task reads of its own copy is ordered too.
#if defined(__SANITIZE_THREAD__)
namespace detail {
inline char tbb_spawned;
inline char tbb_ended;
template <class F>
class TbbTask {
 public:
  explicit TbbTask(F f) : f_(std::move(f)) { __tsan_release(&tbb_spawned); }
  TbbTask(const TbbTask& other) : f_(other.f_) { __tsan_release(&tbb_spawned); }
  TbbTask(TbbTask&& other) noexcept : f_(std::move(other.f_)) { __tsan_release(&tbb_spawned); }
  TbbTask& operator=(const TbbTask&) = delete;
  template <class... Args>
  void operator()(Args&&... args) const {
    __tsan_acquire(&tbb_spawned);
    f_(std::forward<Args>(args)...);
    __tsan_release(&tbb_ended);
  }

 private:
  F f_;
};
}  // namespace detail
template <class F>
detail::TbbTask<F> tbb_task(F f) {
  return detail::TbbTask<F>(std::move(f));
}
inline void tbb_joined() { __tsan_acquire(&detail::tbb_ended); }
#else
template <class F>
F tbb_task(F f) {
  return f;
}
inline void tbb_joined() {}
#endif

/// task_group's fork-join: runs body(0), ..., body(n - 1) as tasks of the calling thread's arena, then waits.
template <class Body>
void tbb_fork_join(std::size_t n, const Body& body) {
  oneapi::tbb::task_group group;
  for (std::size_t index = 0; index < n; ++index) group.run(tbb_task([&body, index] { body(index); }));
  group.wait();
  tbb_joined();
}

}  // namespace concbench::bare
