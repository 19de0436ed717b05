#include "benchmarks/workload_registry.hpp"

#include <memory>
#include <utility>

#include "benchmarks/convoy/convoy.hpp"
#include "benchmarks/counter/counter.hpp"
#include "benchmarks/parallel/parallel.hpp"
#include "benchmarks/philosophers/philosophers.hpp"
#include "benchmarks/pingpong/pingpong.hpp"
#include "benchmarks/prodcons/prodcons.hpp"
#include "benchmarks/selftest/selftest.hpp"
#include "benchmarks/spawn/spawn.hpp"
#include "harness/models/bare.hpp"

namespace concbench {
namespace {

/// A cell whose figures also name the primitive of its floor (the metric `primitive`).
class NamesItsPrimitive final : public CellRun {
 public:
  NamesItsPrimitive(std::unique_ptr<CellRun> cell, std::string primitive)
      : cell_(std::move(cell)), primitive_(std::move(primitive)) {}
  std::int64_t items_per_run() const override { return cell_->items_per_run(); }
  void run_once() override { cell_->run_once(); }
  Verdict verify() const override { return cell_->verify(); }
  CellFigures figures() const override {
    auto figures = cell_->figures();
    figures.metrics["primitive"] = primitive_;
    return figures;
  }

 private:
  std::unique_ptr<CellRun> cell_;
  std::string primitive_;
};

/// The one place every row of a floor with primitives gets its metric `primitive`: a model's row names the
/// primitive of its family (floor_key), a bare row its own `primitive` parameter. Rows of other cells are as
/// `make` built them.
WorkloadSpec with_primitive_metric(WorkloadSpec spec) {
  if (spec.floors.empty()) return spec;
  spec.make = [make = std::move(spec.make)](const CellKey& key, const ModelContext& context) {
    auto setup = make(key, context);
    const auto floor = key.model == BareModel::info.id ? std::optional<CellKey>(key) : floor_key(key);
    if (setup.run && floor && floor->params.has("primitive")) {
      setup.run = std::make_unique<NamesItsPrimitive>(std::move(setup.run), floor->params.get("primitive"));
    }
    return setup;
  };
  return spec;
}

}  // namespace

const std::vector<WorkloadSpec>& all_workloads() {
  static const std::vector<WorkloadSpec> workloads = [] {
    std::vector<WorkloadSpec> specs{
        parallel_workload(),     convoy_workload(),   counter_workload(), pingpong_workload(),
        philosophers_workload(), prodcons_workload(), spawn_workload(),   selftest_workload(),
    };
    for (auto& spec : specs) spec = with_primitive_metric(std::move(spec));
    return specs;
  }();
  return workloads;
}

const WorkloadSpec* find_workload(std::string_view name) {
  for (const auto& workload : all_workloads()) {
    if (workload.name == name) return &workload;
  }
  return nullptr;
}

}  // namespace concbench
