#include "benchmarks/prodcons/prodcons_stackful.hpp"

#include "benchmarks/binding.hpp"

namespace concbench {

constinit const CellMaker prodcons::Bodies::stackful = &make_stackful_cell<prodcons::StackfulProdcons>;

}  // namespace concbench
