#include "benchmarks/prodcons/prodcons_stackful.hpp"

namespace concbench {

CellSetup make_prodcons_stackful(const CellKey& key) { return make_stackful_cell<prodcons::StackfulProdcons>(key); }

}  // namespace concbench
