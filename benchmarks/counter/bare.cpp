/// `counter` on the `bare` pseudo-model (models/bare.hpp): the same adds with no model around them, one
/// plain std::thread per task (the calling thread itself for one task), the mutex a std::mutex. Its rows
/// are the reference for each variant's rows of the models.

#include <mutex>
#include <thread>
#include <vector>

#include "counter/counter.hpp"

namespace concbench {
namespace {

class BareCounter final : public counter::Cell {
 public:
  explicit BareCounter(const CellKey& key) : counter::Cell(key) {}

  void run_once() override {
    start_run();
    const auto tasks = config().tasks;
    if (tasks == 1) {
      add(0);
      end_run({1, "calling-thread"});
      return;
    }
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(tasks));
    for (std::int64_t task = 0; task < tasks; ++task) threads.emplace_back([this, task] { add(task); });
    for (auto& thread : threads) thread.join();
    end_run({static_cast<int>(tasks), "thread-per-task"});
  }

 private:
  void add(std::int64_t task) {
    if (config().variant == counter::Variant::mutex) {
      counter::add_with_mutex(config(), counters(), mutex_, [] {});
    } else {
      counter::add_without_mutex(config(), counters(), task, [] {});
    }
  }

  std::mutex mutex_;
};

}  // namespace

CellSetup make_counter_bare(const CellKey& key) { return {std::make_unique<BareCounter>(key), {}}; }

}  // namespace concbench
