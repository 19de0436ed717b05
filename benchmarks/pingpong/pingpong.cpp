#include "benchmarks/pingpong/pingpong.hpp"

#include <fmt/format.h>

namespace concbench {

namespace pingpong {

Outcome expected(std::int64_t switches) { return {switches, {(switches + 1) / 2, switches / 2}}; }

Cell::Cell(const CellKey& key) : switches_(key.params.get_int("switches")) {}

void Cell::start_run() {
  turn_.value.store(0, std::memory_order_relaxed);
  for (auto& rounds : rounds_) rounds.value = 0;
}

void Cell::end_run(WorkerUse workers) {
  const Outcome got{turn_.value.load(std::memory_order_relaxed), {rounds_[0].value, rounds_[1].value}};
  record(got == expected(switches_), got, workers);
}

std::string Cell::explain(const Outcome& got) const {
  const auto want = expected(switches_);
  return fmt::format("turn ended at {} with {}+{} rounds played, expected {} with {}+{}", got.turn, got.rounds[0],
                     got.rounds[1], want.turn, want.rounds[0], want.rounds[1]);
}

}  // namespace pingpong

WorkloadSpec pingpong_workload() {
  WorkloadSpec spec{.name = "pingpong",
                    .description = "two tasks hand control back and forth: the cost of one switch per model",
                    .variants = {"switch"}};
  spec.params = {
      {"tasks", "the two tasks taking turns", "tasks", {"2"}, {}, 2, 2, {}},
      // A thread hand-off costs about a microsecond, a coroutine switch a few ns: 20,000 switches keep a
      // thread run near 20 ms and a coroutine run well above the cost of starting its two tasks.
      {"switches", "hand-offs per run", "switches", {"20000"}, {"2000"}, 1, 1'000'000'000, {}},
  };
  // Each family's hand-over (models/handoff.hpp); the coroutine and fiber loops run on one thread.
  spec.floors = {FloorSpec::per_family({}, {.coroutine = primitive::kSymmetricTransfer,
                                            .fiber = primitive::kFiberYield,
                                            .tbb = primitive::kAtomicWait,
                                            .thread = primitive::kAtomicWait})};
  spec.ns_per_item_metric = "ns_per_switch";
  spec.bindings = bindings_of<pingpong::Bodies>();
  return spec;
}

}  // namespace concbench
