/// `parallel` on the stackful models: one generic body for every model of harness/models/model_registry.hpp.

#include "benchmarks/binding.hpp"
#include "benchmarks/parallel/parallel.hpp"
#include "harness/models/interpreted.hpp"

namespace concbench {
namespace {

template <StackfulModel M>
class StackfulParallel final : public parallel::Cell {
 public:
  StackfulParallel(M model, const CellKey& key) : parallel::Cell(key), model_(std::move(model)) {}

  void run_once() override {
    const auto workers = model_.run_tasks(tasks(), [this](std::size_t task) {
      store(task, parallel::run_slice(
                      config(), static_cast<std::int64_t>(task),
                      [](std::chrono::microseconds wait) { M::block_for(wait); }, [] { tick<M>(); }));
    });
    end_run(workers);
  }

 private:
  M model_;
};

}  // namespace

constinit const CellMaker parallel::Bodies::stackful = &make_stackful_cell<StackfulParallel>;

}  // namespace concbench
