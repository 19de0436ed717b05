/// `parallel` on the coroutine models: one coroutine body for every model of `CoroutineModels`
/// (harness/models/model_registry.hpp). The same slice loop as the stackful body, with the blocking wait awaited.

#include "benchmarks/binding.hpp"
#include "benchmarks/parallel/parallel.hpp"
#include "harness/models/coroutine_model.hpp"

namespace concbench {
namespace {

template <CoroutineModel M>
class CoroutineParallel final : public parallel::Cell {
 public:
  CoroutineParallel(M model, const CellKey& key) : parallel::Cell(key), model_(std::move(model)) {}

  void run_once() override {
    end_run(model_.run_tasks(tasks(), [this](std::size_t task) { return run_task(task); }));
  }

 private:
  /// A member coroutine, not a capturing lambda: its frame keeps `this` and `task` as parameters, and the
  /// cell outlives every run.
  coro::Task<void> run_task(std::size_t task) {
    parallel::SliceWork work(config(), static_cast<std::int64_t>(task));
    for (; !work.done(); work.finish()) {
      if (work.waits()) co_await M::block_for(config().wait);
    }
    store(task, work.result());
  }

  M model_;
};

}  // namespace

constinit const CellMaker parallel::Bodies::coroutine = &make_coroutine_cell<CoroutineParallel>;

}  // namespace concbench
