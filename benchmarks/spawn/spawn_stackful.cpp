#include "benchmarks/spawn/spawn_stackful.hpp"

namespace concbench {

CellSetup make_spawn_stackful(const CellKey& key, const ModelContext& context) {
  return make_stackful_cell<spawn::StackfulSpawn>(key, context);
}

}  // namespace concbench
