/// `counter` on the stackful models: one generic body for every model of harness/models/model_registry.hpp.

#include "benchmarks/binding.hpp"
#include "benchmarks/counter/counter.hpp"
#include "harness/models/interpreted.hpp"

namespace concbench {
namespace {

template <StackfulModel M>
class StackfulCounter final : public counter::Cell {
 public:
  StackfulCounter(M model, const CellKey& key) : counter::Cell(key), model_(std::move(model)) {}

  void run_once() override {
    start_run();
    const auto tick = [] { concbench::tick<M>(); };
    const auto workers = model_.run_tasks(static_cast<std::size_t>(config().tasks), [&](std::size_t task) {
      if (config().variant == counter::Variant::mutex) {
        counter::add_with_mutex(config(), counters(), mutex_, tick);
      } else {
        counter::add_without_mutex(config(), counters(), static_cast<std::int64_t>(task), tick);
      }
    });
    end_run(workers);
  }

 private:
  M model_;
  typename M::Mutex mutex_;
};

}  // namespace

constinit const CellMaker counter::Bodies::stackful = &make_stackful_cell<StackfulCounter>;

}  // namespace concbench
