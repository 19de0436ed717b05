#include "harness/core/cell_key.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace concbench {

std::string CellKey::label() const {
  return fmt::format("{}/{} {} cores={} tasks={} {}", workload, variant, model, cores, tasks, params.canonical());
}

CellKey CellKey::speedup_base(const std::vector<std::string>& model_params) const {
  CellKey base{workload, variant, "sequential", 1, tasks, {}};
  for (const auto& [name, value] : params.values()) {
    if (std::find(model_params.begin(), model_params.end(), name) == model_params.end()) base.params.set(name, value);
  }
  return base;
}

}  // namespace concbench
