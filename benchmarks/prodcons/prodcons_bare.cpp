#include "benchmarks/prodcons/prodcons_bare.hpp"

namespace concbench {

CellSetup make_prodcons_bare(const CellKey& key) { return {std::make_unique<prodcons::BareProdcons<>>(key), {}}; }

}  // namespace concbench
