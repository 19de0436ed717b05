/// `counter` on the `bare` pseudo-model (models/bare.hpp): the same adds with no model around them, the
/// reference for each variant's rows of the models. Without a mutex, one plain std::thread per task (even for
/// one task: bare/thread_loops.hpp says why). With one, each family's lock in its minimal loop (the cell's
/// `primitive`): a std::mutex between std::threads, a std::mutex in oneTBB task_group tasks (an arena of the
/// cell's cores, as the `tbb` model makes), a boost::fibers::mutex between fibers of the calling thread, a
/// minimal coroutine mutex (bare/coroutine_mutex.hpp) between coroutines of the calling thread. The global-lock
/// models' floors (`gil-tick`, `gil-legacy-tick`): the adds without a mutex on one std::thread per task that
/// holds the interpreter's lock, with its eval-breaker check after each add, as those models' task threads run.

#include <chrono>
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
#include "harness/models/gil/gil_lock.hpp"
#include "harness/models/gil/legacy_lock.hpp"

namespace concbench {
namespace {

class BareCounter final : public counter::Cell {
 public:
  explicit BareCounter(const CellKey& key)
      : counter::Cell(key),
        primitive_(key.params.has("primitive") ? key.params.get("primitive") : std::string()),
        cores_(key.cores) {
    if (primitive_ == primitive::kTbbMutex) tbb_.emplace(cores_);
    // The models' default settings: a floor's key has none of a model's own parameters (floor_key).
    if (primitive_ == primitive::kGilTick) gil_.emplace(gil::Settings{});
    if (primitive_ == primitive::kGilLegacyTick) legacy_gil_.emplace(gil::Settings{});
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
    if (gil_) return holding(*gil_, tasks);
    if (legacy_gil_) return holding(*legacy_gil_, tasks);
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

  /// Each task's thread holds the global lock while it adds, and ticks after each add (the lock's checkpoint),
  /// as a global-lock model's task threads do.
  template <class GlobalLock>
  WorkerUse holding(GlobalLock& lock, std::size_t tasks) {
    const auto start = std::chrono::steady_clock::now();
    const auto threads = bare::on_threads(tasks, [this, &lock](std::size_t task) {
      lock.take();
      counter::add_without_mutex(config(), counters(), static_cast<std::int64_t>(task), [&lock] { lock.checkpoint(); });
      lock.drop();
    });
    lock.stats().add_active(std::chrono::steady_clock::now() - start);  // for its switches per second
    return {threads, "thread-per-task"};
  }

  /// A global lock's counters, as the global-lock models' rows have them (forced drops, takes, switches).
  void add_figures(CellFigures& figures) const override {
    if (gil_) figures.metrics.merge(gil_->metrics());
    if (legacy_gil_) figures.metrics.merge(legacy_gil_->metrics());
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
  std::optional<bare::TbbArena> tbb_;          // the tbb-mutex loop's
  std::optional<gil::GilLock> gil_;            // the gil-tick loop's
  std::optional<gil::LegacyLock> legacy_gil_;  // the gil-legacy-tick loop's
};

}  // namespace

constinit const CellMaker counter::Bodies::bare = &make_bare_cell<BareCounter>;

}  // namespace concbench
