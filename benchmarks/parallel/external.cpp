/// `parallel` on the external models: the peer's count and checksum, checked against the reference.

#include "benchmarks/external_binding.hpp"
#include "benchmarks/parallel/parallel.hpp"

namespace concbench {
namespace {

class ExternalParallel final : public PeerBody<parallel::Cell> {
 public:
  using PeerBody::PeerBody;

  void run_once() override {
    const auto result = next_run();
    store(0, {result.u64("count"), result.u64("checksum")});  // the whole run's, as one slice
    end_run(workers());
  }
};

}  // namespace

constinit const CellMaker parallel::Bodies::external = &make_external_cell<ExternalParallel>;

}  // namespace concbench
