#include "benchmarks/spawn/spawn_stackful.hpp"

#include "benchmarks/binding.hpp"

namespace concbench {

constinit const CellMaker spawn::Bodies::stackful = &make_stackful_cell<spawn::StackfulSpawn>;

}  // namespace concbench
