#include "harness/models/model_registry.hpp"

namespace concbench {

namespace {

template <class... Models>
void append_infos(std::vector<ModelInfo>& infos, ModelList<Models...>) {
  (infos.push_back(Models::info), ...);
}

}  // namespace

const std::vector<ModelInfo>& all_models() {
  static const std::vector<ModelInfo> models = [] {
    std::vector<ModelInfo> infos;
    append_infos(infos, StackfulModels{});
    append_infos(infos, CoroutineModels{});
    append_infos(infos, ExternalModels{});
    append_infos(infos, PseudoModels{});
    return infos;
  }();
  return models;
}

namespace {

template <class M>
const std::vector<ParamSpec>& params_of() {
  static_assert(DeclaresModelHooks<M>);
  static const std::vector<ParamSpec> params = [] {
    if constexpr (M::hooks.params.set) {
      return M::hooks.params();
    } else {
      return std::vector<ParamSpec>{};
    }
  }();
  return params;
}

/// `visit.template operator()<M>()` for the model of any list whose id is `id`; `fallback` if none.
template <class Result, class Visit>
Result visit_any_model(std::string_view id, Result fallback, Visit&& visit) {
  auto result = fallback;
  const auto into_result = [&]<class M>() { result = visit.template operator()<M>(); };
  (void)(visit_model(StackfulModels{}, id, into_result) || visit_model(CoroutineModels{}, id, into_result) ||
         visit_model(ExternalModels{}, id, into_result) || visit_model(PseudoModels{}, id, into_result));
  return result;
}

const std::vector<ParamSpec> no_params;

}  // namespace

const std::vector<ParamSpec>& model_params(std::string_view id) {
  return *visit_any_model(id, &no_params, []<class M>() { return &params_of<M>(); });
}

std::vector<std::string> model_param_names(std::string_view id) {
  std::vector<std::string> names;
  for (const auto& spec : model_params(id)) names.push_back(spec.name);
  return names;
}

bool model_runs_on_one_thread(std::string_view id) {
  const auto* model = find_model(id);
  return model != nullptr && model->single_core;
}

bool model_runs_ticks(std::string_view id) {
  return visit_any_model(id, false, []<class M>() { return M::hooks.checkpoint.set; });
}

std::optional<double> model_tick_ns(std::string_view id) {
  return visit_any_model(id, std::optional<double>{}, []<class M>() -> std::optional<double> {
    if constexpr (M::hooks.tick_ns.set) {
      return M::hooks.tick_ns();
    } else {
      return std::nullopt;
    }
  });
}

std::map<std::string, std::string> model_process_metrics(std::string_view id) {
  using Metrics = std::map<std::string, std::string>;
  return visit_any_model(id, Metrics{}, []<class M>() {
    if constexpr (M::hooks.process_metrics.set) {
      return M::hooks.process_metrics();
    } else {
      return Metrics{};
    }
  });
}

std::optional<ModelKind> model_kind(std::string_view id) {
  const auto none = []<class M>() {};
  if (visit_model(StackfulModels{}, id, none)) return ModelKind::stackful;
  if (visit_model(CoroutineModels{}, id, none)) return ModelKind::coroutine;
  if (visit_model(ExternalModels{}, id, none)) return ModelKind::external;
  if (visit_model(PseudoModels{}, id, none)) return ModelKind::bare;
  return std::nullopt;
}

bool is_stackful_model(std::string_view id) { return model_kind(id) == ModelKind::stackful; }

bool is_coroutine_model(std::string_view id) { return model_kind(id) == ModelKind::coroutine; }

bool is_external_model(std::string_view id) { return model_kind(id) == ModelKind::external; }

std::string_view fidelity_partner(std::string_view id) {
  if (id == "python-threads") return "gil";
  if (id == "python-asyncio" || id == "python-generators") return "coroutine";
  return {};
}

const ModelInfo* find_model(std::string_view id) {
  for (const auto& model : all_models()) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

}  // namespace concbench
