/// `convoy` on the external models: the peer's count of intact round trips, checked as every body's.

#include "benchmarks/convoy/convoy.hpp"
#include "benchmarks/external_binding.hpp"

namespace concbench {
namespace {

class ExternalConvoy final : public PeerBody<convoy::Cell> {
 public:
  using PeerBody::PeerBody;

  void run_once() override {
    const auto round_trips = next_run().i64("round_trips");
    end_run(round_trips, workers());
  }
};

}  // namespace

constinit const CellMaker convoy::external_body = &make_external_cell<ExternalConvoy>;

}  // namespace concbench
