#include "benchmarks/spawn/spawn_bare.hpp"

#include "benchmarks/binding.hpp"

namespace concbench {

constinit const CellMaker spawn::Bodies::bare = &make_bare_cell<spawn::BareSpawn<>>;

}  // namespace concbench
