/// `parallel` on the stackful models: one generic body for every model of harness/models/registry.hpp.

#include <vector>

#include "parallel/parallel.hpp"

namespace concbench {
namespace {

/// Keeps each task's result on its own cache line, so the tasks do not false-share while they write.
struct alignas(64) PaddedSlice {
  parallel::SliceResult value;
};

template <StackfulModel M>
class StackfulParallel final : public CellRun {
 public:
  StackfulParallel(M model, const CellKey& key)
      : model_(std::move(model)),
        config_(parallel::Config::from(key)),
        expected_(parallel::reference(config_)),
        slices_(static_cast<std::size_t>(config_.tasks)) {}

  std::int64_t items_per_run() const override { return config_.items; }

  void run_once() override {
    workers_ = model_.run_tasks(slices_.size(), [this](std::size_t task) {
      slices_[task].value = parallel::run_slice(config_, static_cast<std::int64_t>(task),
                                                [](std::chrono::microseconds wait) { M::block_for(wait); });
    });
    parallel::SliceResult total;
    for (const auto& slice : slices_) {
      total.count += slice.value.count;
      total.checksum += slice.value.checksum;
    }
    // One comparison per run; the reason is formatted only after the timed loop, in verify().
    if (total.count != expected_.count || total.checksum != expected_.checksum) {
      ++bad_runs_;
      last_bad_ = total;
    }
    ++runs_;
  }

  Verdict verify() const override {
    if (bad_runs_ == 0) return {};
    auto verdict = parallel::check(last_bad_, expected_);
    verdict.reason += " in " + std::to_string(bad_runs_) + " of " + std::to_string(runs_) + " runs";
    return verdict;
  }

  CellFigures figures() const override {
    CellFigures figures;
    figures.workers = workers_;
    return figures;
  }

 private:
  M model_;
  parallel::Config config_;
  parallel::SliceResult expected_;
  std::vector<PaddedSlice> slices_;
  WorkerUse workers_;
  std::int64_t runs_ = 0;
  std::int64_t bad_runs_ = 0;
  parallel::SliceResult last_bad_;
};

}  // namespace

CellSetup make_parallel_stackful(const CellKey& key) { return make_stackful_cell<StackfulParallel>(key); }

}  // namespace concbench
