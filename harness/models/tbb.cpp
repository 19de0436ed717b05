#include "harness/models/tbb.hpp"

#include <thread>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "harness/models/first_error.hpp"
#include "harness/models/tbb_channel.hpp"
#include "harness/models/worker_set.hpp"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace concbench {

static_assert(CompleteStackfulModel<TbbModel>);

namespace {

// libtbb itself is not built with ThreadSanitizer, so TSan cannot see the two happens-before edges oneTBB
// guarantees a task_group: everything before a task is spawned happens before it runs, and everything a
// task did happens before the wait() that joins it. Without them every task reads "racily" what its
// spawner wrote. These annotations state exactly those two edges (docs/traps.md); without TSan they are
// empty. The tokens are globals so a task can acquire before it reads any of its own fields.
#if defined(__SANITIZE_THREAD__)
char spawn_token;
char end_token;
void happens_before(char& token) { __tsan_release(&token); }
void happens_after(char& token) { __tsan_acquire(&token); }
#else
[[maybe_unused]] char spawn_token;
[[maybe_unused]] char end_token;
void happens_before(char&) {}
void happens_after(char&) {}
#endif

/// One task of run_tasks. task_group::run moves it into oneTBB's task object just before spawning it; the
/// move ends with the spawn-side release.
class Task {
 public:
  Task(const TaskBody& body, FirstError& errors, WorkerSet& used, std::size_t index)
      : body_(&body), errors_(&errors), used_(&used), index_(index) {}
  Task(const Task& other) : body_(other.body_), errors_(other.errors_), used_(other.used_), index_(other.index_) {
    happens_before(spawn_token);
  }
  Task& operator=(const Task&) = delete;

  void operator()() const {
    happens_after(spawn_token);
    used_->mark(static_cast<std::size_t>(oneapi::tbb::this_task_arena::current_thread_index()));
    run_catching(*body_, index_, *errors_);
    happens_before(end_token);
  }

 private:
  const TaskBody* body_;
  FirstError* errors_;
  WorkerSet* used_;
  std::size_t index_;
};

}  // namespace

struct TbbModel::Arena {
  explicit Arena(int cores)
      // TBB sizes its worker pool from the process's affinity mask (the runner's `cores` CPUs in a cell);
      // the global_control makes N threads available even where fewer CPUs are allowed (tests). It counts
      // the calling thread: N - 1 workers.
      : parallelism(oneapi::tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(cores)),
        // One slot reserved for the calling thread (the default): N - 1 workers join it.
        arena(cores),
        used(cores) {
    arena.initialize();  // set up here, not in the first measured run
  }
  oneapi::tbb::global_control parallelism;
  oneapi::tbb::task_arena arena;
  WorkerSet used;
};

TbbModel::TbbModel(const ModelContext& context) : arena_(std::make_unique<Arena>(context.cores)) {}
TbbModel::~TbbModel() = default;
TbbModel::TbbModel(TbbModel&&) noexcept = default;
TbbModel& TbbModel::operator=(TbbModel&&) noexcept = default;

WorkerUse TbbModel::run_tasks(std::size_t tasks, const TaskBody& body) {
  // Each task catches its own exception: task_group::wait would rethrow the first one but cancel the tasks
  // not yet started, and every model runs all its tasks before rethrowing.
  FirstError errors;
  auto& used = arena_->used;
  arena_->arena.execute([&] {
    oneapi::tbb::task_group group;
    for (std::size_t index = 0; index < tasks; ++index) group.run(Task(body, errors, used, index));
    group.wait();
  });
  happens_after(end_token);
  errors.rethrow();
  return {used.count(), "tbb-task-per-task"};
}

void TbbModel::block_for(std::chrono::nanoseconds wait) { std::this_thread::sleep_for(wait); }

void TbbModel::yield() { std::this_thread::yield(); }

}  // namespace concbench
