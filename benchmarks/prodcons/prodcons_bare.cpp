#include "benchmarks/prodcons/prodcons_bare.hpp"

#include "benchmarks/binding.hpp"

namespace concbench {

constinit const CellMaker prodcons::Bodies::bare = &make_bare_cell<prodcons::BareProdcons<>>;

}  // namespace concbench
