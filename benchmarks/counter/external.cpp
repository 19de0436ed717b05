/// `counter` on the external models: the peer's total, checked as every body's.

#include "benchmarks/counter/counter.hpp"
#include "benchmarks/external_binding.hpp"

namespace concbench {
namespace {

class ExternalCounter final : public PeerBody<counter::Cell> {
 public:
  using PeerBody::PeerBody;

  void run_once() override {
    start_run();
    counters().guarded() = next_run().i64("total");
    end_run(workers());
  }
};

}  // namespace

constinit const CellMaker counter::Bodies::external = &make_external_cell<ExternalCounter>;

}  // namespace concbench
