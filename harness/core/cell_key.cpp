#include "core/cell_key.hpp"

#include <fmt/format.h>

namespace concbench {

std::string CellKey::label() const {
  return fmt::format("{}/{} {} cores={} tasks={} {}", workload, variant, model, cores, tasks, params.canonical());
}

CellKey CellKey::speedup_base() const {
  CellKey base = *this;
  base.model = "sequential";
  base.cores = 1;
  return base;
}

}  // namespace concbench
