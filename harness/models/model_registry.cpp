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

/// Calls `visit.template operator()<M>()` for the model whose id is `id`; returns `fallback` if none.
template <class Result, class Visit>
Result visit_model(std::string_view id, Result fallback, Visit&& visit) {
  auto result = fallback;
  auto in = [&]<class... Models>(ModelList<Models...>) {
    (void)((Models::info.id == id ? (result = visit.template operator()<Models>(), true) : false) || ...);
  };
  in(StackfulModels{});
  in(CoroutineModels{});
  in(PseudoModels{});
  return result;
}

const std::vector<ParamSpec> no_params;

}  // namespace

const std::vector<ParamSpec>& model_params(std::string_view id) {
  return *visit_model(id, &no_params, []<class M>() { return &params_of<M>(); });
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
  return visit_model(id, false, []<class M>() { return M::hooks.checkpoint.set; });
}

std::optional<double> model_tick_ns(std::string_view id) {
  return visit_model(id, std::optional<double>{}, []<class M>() -> std::optional<double> {
    if constexpr (M::hooks.tick_ns.set) {
      return M::hooks.tick_ns();
    } else {
      return std::nullopt;
    }
  });
}

std::map<std::string, std::string> model_process_metrics(std::string_view id) {
  using Metrics = std::map<std::string, std::string>;
  return visit_model(id, Metrics{}, []<class M>() {
    if constexpr (M::hooks.process_metrics.set) {
      return M::hooks.process_metrics();
    } else {
      return Metrics{};
    }
  });
}

bool is_stackful_model(std::string_view id) {
  return [&]<class... Models>(ModelList<Models...>) { return ((Models::info.id == id) || ...); }(StackfulModels{});
}

bool is_coroutine_model(std::string_view id) {
  return [&]<class... Models>(ModelList<Models...>) { return ((Models::info.id == id) || ...); }(CoroutineModels{});
}

const ModelInfo* find_model(std::string_view id) {
  for (const auto& model : all_models()) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

}  // namespace concbench
