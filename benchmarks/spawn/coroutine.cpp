/// `spawn` on the coroutine models: a skynet node is a member coroutine that spawns its ten children into a
/// TaskGroup (all of them before joining any) and awaits the group; flat is one run_tasks of tiny tasks.

#include <array>
#include <numeric>

#include "benchmarks/binding.hpp"
#include "benchmarks/spawn/spawn.hpp"
#include "harness/models/coroutine_model.hpp"

namespace concbench {
namespace {

template <CoroutineModel M>
class CoroutineSpawn final : public spawn::Cell {
 public:
  CoroutineSpawn(M model, const CellKey& key) : spawn::Cell(key), model_(std::move(model)) {}

  void run_once() override {
    begin_run();
    std::uint64_t sum = 0;
    if (skynet()) {
      used_by_run(model_.run_tasks(1, [this, &sum](std::size_t) { return node(0, leaves(), &sum); }));
    } else {
      used_by_run(model_.run_tasks(leaves(), [this](std::size_t task) { return leaf(task); }));
    }
    end_run(sum);
  }

 private:
  /// Member coroutines, not capturing lambdas: their frames keep their arguments as parameters.
  coro::Task<void> leaf(std::size_t task) {
    slot(task) = task;
    co_return;
  }

  /// Writes the sum of the leaves [first, first + size) to `out`.
  coro::Task<void> node(std::uint64_t first, std::uint64_t size, std::uint64_t* out) {
    if (size == 1) {
      *out = first;
      co_return;
    }
    const auto child = size / spawn::kFanOut;
    std::array<std::uint64_t, spawn::kFanOut> sums{};
    typename M::TaskGroup group;
    for (std::size_t index = 0; index < spawn::kFanOut; ++index) {
      group.spawn(node(first + index * child, child, &sums[index]));
    }
    co_await group.join();
    *out = std::accumulate(sums.begin(), sums.end(), std::uint64_t{0});
  }

  M model_;
};

}  // namespace

constinit const CellMaker spawn::Bodies::coroutine = &make_coroutine_cell<CoroutineSpawn>;

}  // namespace concbench
