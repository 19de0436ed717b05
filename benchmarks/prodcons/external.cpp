/// `prodcons` on the external models: the peer's tally of what its consumers received, checked as every
/// body's (no per-item latency: the peer keeps its own clock).

#include "benchmarks/external_binding.hpp"
#include "benchmarks/prodcons/prodcons.hpp"

namespace concbench {
namespace {

class ExternalProdcons final : public PeerBody<prodcons::Cell> {
 public:
  using PeerBody::PeerBody;

  void run_once() override {
    begin_run();
    const auto result = next_run();
    consumed_all(0, {result.u64("count"), result.u64("id_sum"), result.u64("hash_sum")});  // every consumer's
    end_run(workers());
  }
};

}  // namespace

constinit const CellMaker prodcons::Bodies::external = &make_external_cell<ExternalProdcons>;

}  // namespace concbench
