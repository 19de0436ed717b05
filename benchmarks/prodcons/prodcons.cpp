#include "benchmarks/prodcons/prodcons.hpp"

#include <fmt/format.h>

#include "benchmarks/splitmix.hpp"
#include "harness/models/bare.hpp"

namespace concbench {

namespace prodcons {
namespace {

/// A hash of the id, so that swapping a lost id for a duplicate of another never keeps the sums.
constexpr std::uint64_t mix(std::uint64_t x) noexcept { return splitmix_finalise(x + kSplitmixGamma); }

}  // namespace

Config Config::from(const CellKey& key) {
  return {key.params.get_int("producers"), key.params.get_int("consumers"), key.params.get_int("capacity"),
          key.params.get_int("items")};
}

void Tally::add(std::uint64_t id) noexcept {
  ++count;
  id_sum += id;
  hash_sum += mix(id);
}

void Tally::add(const Tally& other) noexcept {
  count += other.count;
  id_sum += other.id_sum;
  hash_sum += other.hash_sum;
}

Tally reference(std::int64_t items) {
  Tally tally;
  for (std::uint64_t id = 0; id < static_cast<std::uint64_t>(items); ++id) tally.add(id);
  return tally;
}

Verdict check(const Tally& got, const Tally& expected) {
  if (got.count != expected.count)
    return {false, fmt::format("{} items consumed, expected {}", got.count, expected.count)};
  if (got == expected) return {};
  return {false, fmt::format("{} items consumed as expected, but not each id once (id sum {}, expected {}; hash sum "
                             "{:#x}, expected {:#x})",
                             got.count, got.id_sum, expected.id_sum, got.hash_sum, expected.hash_sum)};
}

Cell::Cell(const CellKey& key)
    : ConfiguredCell(key), expected_(reference(config().items)), slots_(static_cast<std::size_t>(config().consumers)) {}

std::uint64_t Cell::first_id(std::size_t producer) const {
  return static_cast<std::uint64_t>(config().items * static_cast<std::int64_t>(producer) / config().producers);
}

void Cell::begin_run() {
  for (auto& slot : slots_) slot.tally = {};
  producers_left_.store(config().producers, std::memory_order_relaxed);  // the run's tasks start after this
}

void Cell::end_run(WorkerUse workers) {
  Tally total;
  for (const auto& slot : slots_) total.add(slot.tally);
  record(total == expected_, total, workers);
}

void Cell::add_figures(CellFigures& figures) const {
  stats::Histogram latency;
  for (const auto& slot : slots_) latency.merge(slot.latency);
  if (latency.count() > 0) {
    figures.latency_p50_us = latency.percentile(50) / 1000.0;
    figures.latency_p99_us = latency.percentile(99) / 1000.0;
    figures.metrics["latency_max_us"] = fmt::format("{:.4g}", static_cast<double>(latency.max()) / 1000.0);
  }
}

}  // namespace prodcons

WorkloadSpec prodcons_workload() {
  WorkloadSpec spec{.name = "prodcons",
                    .description = "producers and consumers over the model's bounded channel; per-item latency",
                    .variants = {"1x1", "1xN", "Nx1", "NxN"}};
  const std::string producers = "producer tasks";
  const std::string consumers = "consumer tasks";
  const std::string tasks = "tasks: producers + consumers";
  spec.params = {
      {"producers", producers, "tasks", {"1"}, {}, 1, 10000, {"1x1", "1xN"}},
      {"producers", producers, "tasks", {"4"}, {"2"}, 1, 10000, {"Nx1", "NxN"}},
      {"consumers", consumers, "tasks", {"1"}, {}, 1, 10000, {"1x1", "Nx1"}},
      {"consumers", consumers, "tasks", {"4"}, {"2"}, 1, 10000, {"1xN", "NxN"}},
      {"tasks", tasks, "tasks", {"2"}, {}, 2, 20000, {"1x1"}},
      {"tasks", tasks, "tasks", {"5"}, {"3"}, 2, 20000, {"1xN", "Nx1"}},
      {"tasks", tasks, "tasks", {"8"}, {"4"}, 2, 20000, {"NxN"}},
      // The two ends (a hand-off per item, and room to batch): a third point between them cost the default plan a
      // minute of its ten and showed nothing the two do not (`--set capacity=64` adds it).
      {"capacity", "channel capacity (items it holds)", "items", {"1", "1024"}, {"64"}, 1, 1000000, {}},
      // A thread hand-off through a capacity-1 channel costs several µs: 2000 items keep such a run near
      // 10-30 ms, so the default sweep (4 shapes x 3 capacities x every model) stays cheap.
      {"items", "items sent per run (over all producers)", "items", {"2000"}, {"200"}, 1, 100000000, {}},
  };
  spec.check = [](const CellKey& key) -> std::string {
    const auto config = prodcons::Config::from(key);
    if (key.tasks != config.producers + config.consumers) {
      return fmt::format("tasks ({}) must equal producers + consumers ({} + {}); set tasks too", key.tasks,
                         config.producers, config.consumers);
    }
    if (config.producers > config.items) {
      return fmt::format("producers ({}) must not exceed items ({})", config.producers, config.items);
    }
    return {};
  };
  // Each family's channel (prodcons/prodcons_bare.cpp), every shape and capacity; the coroutine and fiber loops run
  // on one thread.
  spec.floors = {FloorSpec::per_family({}, {.coroutine = primitive::kCoroutineChannel,
                                            .fiber = primitive::kFiberCvRing,
                                            .tbb = primitive::kTbbBoundedQueue,
                                            .thread = primitive::kStdCvRing})};
  spec.bindings = bindings_of<prodcons::Bodies>();
  return spec;
}

}  // namespace concbench
