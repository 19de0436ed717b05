#include "benchmarks/spawn/spawn_bare.hpp"

#include <fmt/format.h>

namespace concbench {

CellSetup make_spawn_bare(const CellKey& key) {
  if (key.params.get("primitive") == primitive::kThreadJoin && key.tasks > spawn::kMaxOsThreads) {
    return {nullptr, fmt::format("thread-join would start {} OS threads (one per task; the limit here is {})",
                                 key.tasks, spawn::kMaxOsThreads)};
  }
  return {std::make_unique<spawn::BareSpawn<>>(key), {}};
}

}  // namespace concbench
