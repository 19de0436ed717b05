#include "models/tbb.hpp"

#include <thread>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "models/first_error.hpp"
#include "models/tbb_channel.hpp"
#include "models/worker_set.hpp"

namespace concbench {

static_assert(StackfulModel<TbbModel>);
static_assert(StackfulModelChannels<TbbModel>);

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

TbbModel::TbbModel(int cores) : arena_(std::make_unique<Arena>(cores)) {}
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
    for (std::size_t index = 0; index < tasks; ++index) {
      group.run([&, index] {
        used.mark(static_cast<std::size_t>(oneapi::tbb::this_task_arena::current_thread_index()));
        run_catching(body, index, errors);
      });
    }
    group.wait();
  });
  errors.rethrow();
  return {used.count(), "tbb-task-per-task"};
}

void TbbModel::block_for(std::chrono::nanoseconds wait) { std::this_thread::sleep_for(wait); }

void TbbModel::yield() { std::this_thread::yield(); }

}  // namespace concbench
