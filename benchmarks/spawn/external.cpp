/// `spawn` on the external models: the peer's sum of the leaves, checked as every body's.

#include "benchmarks/external_binding.hpp"
#include "benchmarks/spawn/spawn.hpp"

namespace concbench {
namespace {

class ExternalSpawn final : public PeerBody<spawn::Cell> {
 public:
  using PeerBody::PeerBody;

  void run_once() override {
    begin_run();
    const auto sum = next_run().u64("sum");
    used_by_run(workers());
    if (!skynet()) slot(0) = sum;  // flat sums its slots: the whole run's in the first
    end_run(sum);
  }
};

}  // namespace

constinit const CellMaker spawn::Bodies::external = &make_external_cell<ExternalSpawn>;

}  // namespace concbench
