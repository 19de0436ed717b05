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
/// it happens before it runs, and everything it did happens before the wait that joins it. `tbb_task(f)`
/// wraps a task body (made just before the spawn); call `tbb_joined()` after the wait. The same two edges
/// the `tbb` model states (models/tbb.cpp, docs/traps.md).
#if defined(__SANITIZE_THREAD__)
namespace detail {
inline char tbb_spawned;
inline char tbb_ended;
}  // namespace detail
template <class F>
auto tbb_task(F f) {
  __tsan_release(&detail::tbb_spawned);
  return [f = std::move(f)](auto&&... args) {
    __tsan_acquire(&detail::tbb_spawned);
    f(std::forward<decltype(args)>(args)...);
    __tsan_release(&detail::tbb_ended);
  };
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
