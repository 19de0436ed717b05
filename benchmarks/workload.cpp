#include "benchmarks/workload.hpp"

#include <algorithm>
#include <memory>
#include <utility>

#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"

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
  std::optional<double> own_run_seconds() const override { return cell_->own_run_seconds(); }
  CellFigures figures() const override {
    auto figures = cell_->figures();
    figures.metrics["primitive"] = primitive_;
    return figures;
  }

 private:
  std::unique_ptr<CellRun> cell_;
  std::string primitive_;
};

CellMaker body_of(const Bindings& bindings, std::string_view model) {
  const auto kind = model_kind(model);
  if (!kind) return nullptr;
  switch (*kind) {
    case ModelKind::stackful:
      return bindings.stackful;
    case ModelKind::coroutine:
      return bindings.coroutine;
    case ModelKind::external:
      return bindings.external;
    case ModelKind::bare:
      return bindings.bare;
  }
  return nullptr;
}

}  // namespace

CellSetup WorkloadSpec::make(const CellKey& key, const ModelContext& context) const {
  const auto body = body_of(bindings, key.model);
  if (body == nullptr) return {nullptr, "no binding of this workload for model " + key.model};
  auto setup = body(key, context);
  // The one place every row of a floor with primitives gets its metric `primitive`: a model's row names the
  // primitive of its family (floor_key), a bare row its own `primitive` parameter.
  if (setup.run && !floors.empty()) {
    const auto floor = key.model == BareModel::info.id ? std::optional<CellKey>(key) : floor_key(key);
    if (floor && floor->params.has("primitive")) {
      setup.run = std::make_unique<NamesItsPrimitive>(std::move(setup.run), floor->params.get("primitive"));
    }
  }
  return setup;
}

const ParamSpec* WorkloadSpec::find_param(const std::string& param) const {
  for (const auto& spec : params) {
    if (spec.name == param) return &spec;
  }
  return nullptr;
}

const FloorSpec* WorkloadSpec::floor_of(const std::string& variant) const {
  const auto floor =
      std::find_if(floors.begin(), floors.end(), [&](const FloorSpec& f) { return f.applies_to(variant); });
  return floor == floors.end() ? nullptr : &*floor;
}

FloorSpec FloorSpec::per_family(std::vector<std::string> variants, const Families& primitives) {
  FloorSpec floor{std::move(variants), {}, {}, {}};
  for (const auto& [family, primitive] :
       {std::pair{"coroutine", primitives.coroutine}, std::pair{"fiber", primitives.fiber},
        std::pair{"tbb", primitives.tbb}, std::pair{"thread", primitives.thread}}) {
    if (primitive.empty()) continue;
    floor.primitive_of_family.emplace(family, primitive);
    if (family == std::string_view("coroutine") || family == std::string_view("fiber")) {
      floor.one_thread.emplace_back(primitive);
    }
  }
  return floor;
}

bool FloorSpec::applies_to(const std::string& variant) const {
  return variants.empty() || std::find(variants.begin(), variants.end(), variant) != variants.end();
}

std::vector<std::string> FloorSpec::primitives() const {
  std::vector<std::string> distinct;
  for (const auto* owners : {&primitive_of_family, &primitive_of_model}) {
    for (const auto& [owner, primitive] : *owners) {
      if (std::find(distinct.begin(), distinct.end(), primitive) == distinct.end()) distinct.push_back(primitive);
    }
  }
  return distinct;
}

bool FloorSpec::runs_on_one_thread(const std::string& primitive) const {
  return std::find(one_thread.begin(), one_thread.end(), primitive) != one_thread.end();
}

std::optional<CellKey> floor_key(const CellKey& model_key) {
  const auto* model = find_model(model_key.model);
  const auto* workload = find_workload(model_key.workload);
  if (model == nullptr || model->family.empty() || workload == nullptr) return std::nullopt;
  const auto* floor = workload->floor_of(model_key.variant);
  if (floor == nullptr) return std::nullopt;
  // The bare key: the workload's parameters only (speedup_base drops the model's own ones the same way).
  auto key = model_key.speedup_base(model_param_names(model_key.model));
  key.model = std::string(BareModel::info.id);
  key.cores = model_key.cores;
  // The model's own floor first, then its family's; a floor without primitives serves every family.
  const auto own = floor->primitive_of_model.find(model_key.model);
  const auto of_family = floor->primitive_of_family.find(std::string(model->family));
  std::string primitive;
  if (own != floor->primitive_of_model.end()) {
    primitive = own->second;
  } else if (of_family != floor->primitive_of_family.end()) {
    primitive = of_family->second;
  } else if (!floor->primitive_of_family.empty()) {
    return std::nullopt;
  }
  if (!primitive.empty()) {
    key.params.set("primitive", primitive);
    if (floor->runs_on_one_thread(primitive)) key.cores = 1;
  }
  return key;
}

}  // namespace concbench
