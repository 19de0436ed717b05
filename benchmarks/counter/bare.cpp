/// `counter` on the `bare` pseudo-model (models/bare.hpp): the same adds with no model around them, one
/// plain std::thread per task (even for one task: bare/thread_loops.hpp says why), the mutex a std::mutex. Its rows
/// are the reference for each variant's rows of the models.

#include <mutex>

#include "benchmarks/bare/thread_loops.hpp"
#include "benchmarks/binding.hpp"
#include "benchmarks/counter/counter.hpp"

namespace concbench {
namespace {

class BareCounter final : public counter::Cell {
 public:
  explicit BareCounter(const CellKey& key) : counter::Cell(key) {}

  void run_once() override {
    start_run();
    end_run({bare::on_threads(static_cast<std::size_t>(config().tasks), [this](std::size_t task) { add(task); }),
             "thread-per-task"});
  }

 private:
  void add(std::size_t task) {
    if (config().variant == counter::Variant::mutex) {
      counter::add_with_mutex(config(), counters(), mutex_, [] {});
    } else {
      counter::add_without_mutex(config(), counters(), static_cast<std::int64_t>(task), [] {});
    }
  }

  std::mutex mutex_;
};

}  // namespace

constinit const CellMaker counter::bare_body = &make_bare_cell<BareCounter>;

}  // namespace concbench
