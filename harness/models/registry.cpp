#include "models/registry.hpp"

namespace concbench {

const std::vector<ModelInfo>& all_models() {
  static const std::vector<ModelInfo> models = []<class... Models>(ModelList<Models...>) {
    return std::vector<ModelInfo>{Models::info...};
  }(StackfulModels{});
  return models;
}

const ModelInfo* find_model(std::string_view id) {
  for (const auto& model : all_models()) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

}  // namespace concbench
