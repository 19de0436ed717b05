/// `pingpong` on the external models: the peer's final turn and rounds per task, checked as every body's.

#include "benchmarks/external_binding.hpp"
#include "benchmarks/pingpong/pingpong.hpp"

namespace concbench {
namespace {

class ExternalPingpong final : public PeerBody<pingpong::Cell> {
 public:
  using PeerBody::PeerBody;

  void run_once() override {
    start_run();
    const auto result = next_run();
    const auto rounds = result.i64s("rounds", 2);
    turn().store(result.i64("turn"), std::memory_order_relaxed);
    played(0, rounds[0]);
    played(1, rounds[1]);
    end_run(workers());
  }
};

}  // namespace

constinit const CellMaker pingpong::Bodies::external = &make_external_cell<ExternalPingpong>;

}  // namespace concbench
