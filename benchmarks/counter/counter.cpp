#include "benchmarks/counter/counter.hpp"

#include <fmt/format.h>

#include "harness/models/bare.hpp"
#include "harness/models/gil.hpp"
#include "harness/models/gil_legacy.hpp"

namespace concbench {

namespace counter {

Config Config::from(const CellKey& key) {
  Config config;
  config.variant = key.variant == "mutex"            ? Variant::mutex
                   : key.variant == "sharded"        ? Variant::sharded
                   : key.variant == "sharded-packed" ? Variant::sharded_packed
                                                     : Variant::atomic;
  config.tasks = key.tasks;
  config.adds = key.params.get_int("adds");
  return config;
}

Counters::Counters(const Config& config)
    : packed_(config.variant == Variant::sharded_packed),
      tasks_(config.tasks),
      lines_(
          std::make_unique<Line[]>(static_cast<std::size_t>(packed_ ? (tasks_ + kPerLine - 1) / kPerLine : tasks_))) {
  reset();
}

void Counters::reset() {
  shared_.store(0, std::memory_order_relaxed);
  guarded_ = 0;
  for (std::int64_t task = 0; task < tasks_; ++task) shard(task).store(0, std::memory_order_relaxed);
}

std::atomic<std::int64_t>& Counters::shard(std::int64_t task) const {
  if (packed_) return lines_[static_cast<std::size_t>(task / kPerLine)].words[task % kPerLine];
  return lines_[static_cast<std::size_t>(task)].words[0];
}

std::int64_t Counters::total() const {
  std::int64_t sum = shared_.load(std::memory_order_relaxed) + guarded_;
  for (std::int64_t task = 0; task < tasks_; ++task) sum += shard(task).load(std::memory_order_relaxed);
  return sum;
}

Cell::Cell(const CellKey& key) : ConfiguredCell(key), counters_(config()) {}

void Cell::end_run(WorkerUse workers) {
  const auto total = counters_.total();
  record(total == config().expected_total(), total, workers);
}

std::string Cell::explain(const std::int64_t& total) const {
  return fmt::format("total {}, expected {} ({} tasks x {} adds)", total, config().expected_total(), config().tasks,
                     config().adds);
}

}  // namespace counter

WorkloadSpec counter_workload() {
  WorkloadSpec spec{.name = "counter",
                    .description = "T tasks each add 1 to a counter K times: atomic, mutex, sharded, sharded-packed",
                    .variants = {"atomic", "mutex", "sharded", "sharded-packed"}};
  spec.params = {
      {"tasks",
       "tasks adding to the counter",
       "tasks",
       {"1", "2", "8"},
       {"2"},
       1,
       4096,
       {"atomic", "mutex", "sharded"}},
      // One task's packed counter is `sharded`'s: false sharing needs two.
      {"tasks", "tasks adding to the counter", "tasks", {"2", "8"}, {"2"}, 1, 4096, {"sharded-packed"}},
      // One run of one task takes about 5 ms: an uncontended fetch_add or a locked add costs a few ns, a
      // plain store to a task's own counter well under one. Contention makes each add dearer (more tasks).
      {"adds", "adds per task (K)", "adds", {"1000000"}, {"100000"}, 1, 1'000'000'000, {"atomic"}},
      {"adds", "adds per task (K)", "adds", {"500000"}, {"50000"}, 1, 1'000'000'000, {"mutex"}},
      {"adds", "adds per task (K)", "adds", {"10000000"}, {"1000000"}, 1, 1'000'000'000, {"sharded", "sharded-packed"}},
  };
  // Without a mutex, one floor for every family: the same adds on plain std::threads; the global-lock models'
  // own adds on threads that hold their interpreter's lock and pass its check after each add, their tick (an
  // add then costs what the interpreter costs, which no plain add shows). With a mutex, each family's own lock
  // in a minimal loop (counter/bare.cpp): an OS mutex is not what a coroutine or a fiber takes.
  spec.floors = {
      FloorSpec{.variants = {"atomic", "sharded", "sharded-packed"},
                .primitive_of_family = {},
                .one_thread = {},
                .primitive_of_model = {{std::string(kGilInfo.id), std::string(primitive::kGilTick)},
                                       {std::string(kGilLegacyInfo.id), std::string(primitive::kGilLegacyTick)}}},
      FloorSpec::per_family({"mutex"}, {.coroutine = primitive::kCoroutineMutex,
                                        .fiber = primitive::kFiberMutex,
                                        .tbb = primitive::kTbbMutex,
                                        .thread = primitive::kThreadMutex})};
  spec.bindings = bindings_of<counter::Bodies>();
  return spec;
}

}  // namespace concbench
