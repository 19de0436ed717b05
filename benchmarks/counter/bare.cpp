/// `counter` on the `bare` pseudo-model (models/bare.hpp): the same adds with no model around them, the
/// reference for each variant's rows of the models. Without a mutex, one plain std::thread per task (even for
/// one task: bare/thread_loops.hpp says why). With one, each family's lock in its minimal loop (the cell's
/// `primitive`): a std::mutex between std::threads, a std::mutex in oneTBB task_group tasks (an arena of the
/// cell's cores, as the `tbb` model makes), a boost::fibers::mutex between fibers of the calling thread, a
/// minimal coroutine mutex (bare/coroutine_mutex.hpp) between coroutines of the calling thread.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>

#include "benchmarks/bare/coroutine_loops.hpp"
#include "benchmarks/bare/coroutine_mutex.hpp"
#include "benchmarks/bare/fiber_loops.hpp"
#include "benchmarks/bare/tbb_loops.hpp"
#include "benchmarks/bare/thread_loops.hpp"
#include "benchmarks/binding.hpp"
#include "benchmarks/counter/counter.hpp"
#include "harness/models/bare.hpp"

namespace concbench {
namespace {

class BareCounter final : public counter::Cell {
 public:
  explicit BareCounter(const CellKey& key)
      : counter::Cell(key),
        primitive_(key.params.has("primitive") ? key.params.get("primitive") : std::string()),
        cores_(key.cores) {
    if (primitive_ == primitive::kTbbMutex) tbb_.emplace(cores_);
  }

  void run_once() override {
    start_run();
    end_run(run_tasks());
  }

 private:
  WorkerUse run_tasks() {
    const auto tasks = static_cast<std::size_t>(config().tasks);
    if (primitive_ == primitive::kTbbMutex) {
      tbb_->execute([&] { bare::tbb_fork_join(tasks, [this](std::size_t) { add_under(std_mutex_); }); });
      return {cores_, "tbb-task-per-task"};  // the arena's threads
    }
    if (primitive_ == primitive::kFiberMutex) {
      std::vector<boost::fibers::fiber> fibers(tasks);
      bare::on_fibers(fibers, boost::fibers::launch::post, [this](std::size_t) { add_under(fiber_mutex_); });
      return {1, "calling-thread"};
    }
    if (primitive_ == primitive::kCoroutineMutex) return on_coroutines(tasks);
    return {bare::on_threads(tasks, [this](std::size_t task) { add(task); }), "thread-per-task"};
  }

  /// The adds of one thread's task: the variant's, under a std::mutex for `mutex`.
  void add(std::size_t task) {
    if (config().variant == counter::Variant::mutex) {
      add_under(std_mutex_);
    } else {
      counter::add_without_mutex(config(), counters(), static_cast<std::int64_t>(task), [] {});
    }
  }
  template <class Mutex>
  void add_under(Mutex& mutex) {
    counter::add_with_mutex(config(), counters(), mutex, [] {});
  }

  WorkerUse on_coroutines(std::size_t tasks) {
    bare::ReadyQueue ready(tasks);
    bare::CoroutineMutex mutex(ready);
    std::vector<bare::Task<>> coroutines;
    coroutines.reserve(tasks);
    for (std::size_t task = 0; task < tasks; ++task) {
      coroutines.push_back(add_under(mutex));
      ready.push(coroutines.back().handle());
    }
    ready.run();
    return {1, "calling-thread"};
  }
  /// A member coroutine, not a capturing lambda: its frame keeps `this` and the mutex as parameters.
  bare::Task<> add_under(bare::CoroutineMutex& mutex) {
    const auto adds = config().adds;
    for (std::int64_t k = 0; k < adds; ++k) {
      co_await mutex.lock();
      ++counters().guarded();
      mutex.unlock();
    }
  }

  std::string primitive_;
  std::mutex std_mutex_;
  boost::fibers::mutex fiber_mutex_;
  int cores_;
  std::optional<bare::TbbArena> tbb_;  // the tbb-mutex loop's
};

}  // namespace

constinit const CellMaker counter::Bodies::bare = &make_bare_cell<BareCounter>;

}  // namespace concbench
