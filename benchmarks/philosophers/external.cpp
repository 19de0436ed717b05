/// `philosophers` on the external models: the peer's meals per seat and neighbour violations (and, when it
/// sends them, the fairness inputs), checked by the table as every body's. The peer watches for the
/// deadlock itself (its `deadlock` answer).

#include "benchmarks/external_binding.hpp"
#include "benchmarks/philosophers/cell.hpp"

namespace concbench {
namespace {

class ExternalPhilosophers final : public PeerBody<philosophers::Cell> {
 public:
  using PeerBody::PeerBody;

  void run_once() override {
    const auto result = next_run();
    const auto seats = config().philosophers;
    philosophers::ReportedRun run;
    run.meals = result.i64s("meals", seats);
    run.violations = result.i64("violations");
    if (result.has("window")) run.window = result.i64s("window", seats);
    if (result.has("wait_ns")) run.wait_ns = result.i64s("wait_ns", seats);
    replay(run, workers());
  }
};

}  // namespace

constinit const CellMaker philosophers::external_body = &make_external_cell<ExternalPhilosophers>;

}  // namespace concbench
