#include "benchmarks/prodcons/prodcons_stackful.hpp"

namespace concbench {

CellSetup make_prodcons_stackful(const CellKey& key, const ModelContext& context) {
  return make_stackful_cell<prodcons::StackfulProdcons>(key, context);
}

}  // namespace concbench
