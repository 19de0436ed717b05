#include "benchmarks/spawn/spawn_stackful.hpp"

#include "benchmarks/binding.hpp"

namespace concbench {

constinit const CellMaker spawn::stackful_body = &make_stackful_cell<spawn::StackfulSpawn>;

}  // namespace concbench
