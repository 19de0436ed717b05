/// `parallel/cpu` on the `bare` pseudo-model (models/bare.hpp): the item slices of the models' tasks (the
/// same `tasks` slices, the same chain per item) spread over the cores in a minimal loop, the floor of the
/// model rows whose metric `primitive` names it.
///  - thread-split: min(tasks, cores) std::threads, thread w computing slices w, w + W, w + 2W, ...
///  - tbb-parallel-for: tbb::parallel_for over the slices, in an arena of `cores` threads.
/// `io` has no floor: its items only wait, and the wait is each model's own primitive.

#include <algorithm>
#include <optional>
#include <string>

#include <oneapi/tbb/parallel_for.h>

#include "benchmarks/bare/tbb_loops.hpp"
#include "benchmarks/bare/thread_loops.hpp"
#include "benchmarks/binding.hpp"
#include "benchmarks/parallel/parallel.hpp"
#include "harness/models/bare.hpp"

namespace concbench {
namespace {

class BareParallel final : public parallel::Cell {
 public:
  explicit BareParallel(const CellKey& key)
      : parallel::Cell(key), primitive_(key.params.get("primitive")), cores_(static_cast<std::size_t>(key.cores)) {
    if (primitive_ == primitive::kTbbParallelFor) arena_.emplace(key.cores);
  }

  void run_once() override {
    if (primitive_ == primitive::kTbbParallelFor) {
      arena_->execute([this] {
        oneapi::tbb::parallel_for(std::size_t{0}, tasks(), bare::tbb_task([this](std::size_t task) { slice(task); }));
      });
      bare::tbb_joined();
      end_run({static_cast<int>(cores_), "tbb-parallel-for"});  // the arena's threads
    } else {
      const auto threads = std::min(tasks(), cores_);
      end_run({bare::on_threads(threads,
                                [this, threads](std::size_t thread) {
                                  for (auto task = thread; task < tasks(); task += threads) slice(task);
                                }),
               "slices-per-thread"});
    }
  }

 private:
  void slice(std::size_t task) {
    store(task, parallel::run_slice(
                    config(), static_cast<std::int64_t>(task), [](auto) {}, [] {}));
  }

  std::string primitive_;
  std::size_t cores_;
  std::optional<bare::TbbArena> arena_;
};

}  // namespace

constinit const CellMaker parallel::Bodies::bare = &make_bare_cell<BareParallel>;

}  // namespace concbench
