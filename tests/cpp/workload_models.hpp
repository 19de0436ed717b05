#pragma once
// Shared by the workload tests that run a cell on every model: the execution models (not the `bare`
// pseudo-model) that the build under test can run.
#include <string>
#include <vector>

#include "harness/models/model_registry.hpp"

namespace concbench::testing {

inline std::vector<std::string> workload_models() {
  std::vector<std::string> ids;
  for (const auto& model : all_models()) {
    if (!is_stackful_model(model.id) && !is_coroutine_model(model.id)) continue;  // pseudo-models (bare)
#if defined(__SANITIZE_THREAD__)
    if (model.id == "fiber" || model.id == "fiber-ws") continue;  // TSan does not follow fcontext switches
#endif
    ids.emplace_back(model.id);
  }
  return ids;
}

}  // namespace concbench::testing
