/// `counter` on the coroutine models: one coroutine body for every model of `CoroutineModels`. The adds
/// without a mutex are the stackful body's loop; `mutex` awaits the model's mutex.

#include "benchmarks/binding.hpp"
#include "benchmarks/counter/counter.hpp"
#include "harness/models/coroutine_model.hpp"

namespace concbench {
namespace {

template <CoroutineModel M>
class CoroutineCounter final : public counter::Cell {
 public:
  CoroutineCounter(M model, const CellKey& key) : counter::Cell(key), model_(std::move(model)) {}

  void run_once() override {
    start_run();
    end_run(model_.run_tasks(static_cast<std::size_t>(config().tasks),
                             [this](std::size_t task) { return run_task(task); }));
  }

 private:
  /// A member coroutine, not a capturing lambda: its frame keeps `this` and `task` as parameters.
  coro::Task<void> run_task(std::size_t task) {
    if (config().variant != counter::Variant::mutex) {
      counter::add_without_mutex(config(), counters(), static_cast<std::int64_t>(task), [] {});
      co_return;
    }
    const auto adds = config().adds;
    for (std::int64_t k = 0; k < adds; ++k) {
      auto lock = co_await mutex_.lock();
      ++counters().guarded();
    }
  }

  M model_;
  typename M::Mutex mutex_;
};

}  // namespace

constinit const CellMaker counter::Bodies::coroutine = &make_coroutine_cell<CoroutineCounter>;

}  // namespace concbench
