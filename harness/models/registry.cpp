#include "models/registry.hpp"

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
    return infos;
  }();
  return models;
}

bool is_stackful_model(std::string_view id) {
  return [&]<class... Models>(ModelList<Models...>) { return ((Models::info.id == id) || ...); }(StackfulModels{});
}

const ModelInfo* find_model(std::string_view id) {
  for (const auto& model : all_models()) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

}  // namespace concbench
