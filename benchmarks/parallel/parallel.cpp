#include "benchmarks/parallel/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "harness/models/model_registry.hpp"

namespace concbench {
namespace {
// Where the tick timing's result goes, so the timed chain is not optimised away.
volatile std::uint64_t benchmark_sink = 0;
}  // namespace

namespace parallel {

Config Config::from(const CellKey& key) {
  Config config;
  config.io = key.variant == "io";
  config.items = key.params.get_int("items");
  config.tasks = key.tasks;
  if (config.io) {
    config.wait = std::chrono::microseconds(key.params.get_int("wait_us"));
  } else {
    config.work = key.params.get_int("work");
    // The tick of the model built for this cell (its context's calibration), where it runs ticks.
    if (const auto tick_ns = model_tick_ns(key.model)) config.rounds_per_tick = parallel::rounds_per_tick(*tick_ns);
  }
  return config;
}

std::uint64_t cpu_item(std::uint64_t item, std::int64_t rounds) {
  std::uint64_t x = chain_start(item);
  for (std::int64_t r = 0; r < rounds; ++r) x = chain_round(x);
  return x;
}

std::int64_t rounds_per_tick(double tick_ns) {
  // A few milliseconds of chain, best of three: long enough to time, short enough for every cell.
  constexpr std::int64_t kRounds = 1 << 20;
  double best_ns = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto start = std::chrono::steady_clock::now();
    benchmark_sink = cpu_item(static_cast<std::uint64_t>(attempt), kRounds);
    const auto took = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    best_ns = attempt == 0 ? took : std::min(best_ns, took);
  }
  const double round_ns = best_ns / static_cast<double>(kRounds);
  return std::max<std::int64_t>(1, std::llround(tick_ns / round_ns));
}

Range slice(const Config& config, std::int64_t task) {
  return {config.items * task / config.tasks, config.items * (task + 1) / config.tasks};
}

SliceResult reference(const Config& config) {
  Config one_task = config;
  one_task.tasks = 1;
  one_task.rounds_per_tick = 0;  // the plain chain: ticking must not change the answer
  return run_slice(
      one_task, 0, [](auto) {}, [] {});  // the count and checksum do not depend on the waits
}

Verdict check(const SliceResult& got, const SliceResult& expected) {
  if (got.count != expected.count) {
    return {false, fmt::format("{} items done, expected {}", got.count, expected.count)};
  }
  if (got.checksum != expected.checksum) {
    return {false,
            fmt::format("checksum {:#x}, expected {:#x} (the sequential result)", got.checksum, expected.checksum)};
  }
  return {};
}

Cell::Cell(const CellKey& key)
    : ConfiguredCell(key), expected_(reference(config())), slots_(static_cast<std::size_t>(config().tasks)) {}

void Cell::end_run(WorkerUse workers) {
  SliceResult total;
  // Each slot is emptied as it is summed: a task that did not run in the next run must not be covered by
  // the result it left in this one.
  for (auto& slot : slots_) {
    const auto value = std::exchange(slot.value, SliceResult{});
    total.count += value.count;
    total.checksum += value.checksum;
  }
  record(total.count == expected_.count && total.checksum == expected_.checksum, total, workers);
}

void Cell::add_figures(CellFigures& figures) const {
  if (config().rounds_per_tick > 0) figures.metrics["rounds_per_tick"] = std::to_string(config().rounds_per_tick);
}

}  // namespace parallel

WorkloadSpec parallel_workload() {
  WorkloadSpec spec{.name = "parallel",
                    .description = "embarrassingly parallel items: CPU-bound (cpu) or blocking-I/O-bound (io)",
                    .variants = {"cpu", "io"}};
  spec.params = {
      {"tasks", "logical tasks the items are split over", "tasks", {"1", "8", "64"}, {"8"}, 1, 100000, {}},
      // cpu runs long enough (≈ 60 ms sequential) that thread start-up and the kernel's load balancing of
      // oversubscribed threads do not dominate; io stays short because each item really waits.
      {"items", "items of work per run", "items", {"2048"}, {"64"}, 1, 100000000, {"cpu"}},
      {"items", "items of work per run", "items", {"256"}, {"64"}, 1, 100000000, {"io"}},
      {"work",
       "hash rounds per cpu item (about 2.5 ns each on a 2020s x86 core)",
       "rounds",
       {"10000"},
       {},
       1,
       1000000000,
       {"cpu"}},
      {"wait_us", "blocking time per io item", "us", {"1000"}, {}, 1, 10000000, {"io"}},
  };
  spec.check = [](const CellKey& key) -> std::string {
    const auto items = key.params.get_int("items");
    if (key.tasks > items) return fmt::format("tasks ({}) must not exceed items ({})", key.tasks, items);
    return {};
  };
  // cpu only: the libraries that spread work over cores (parallel/bare.cpp). The one-thread families (fiber,
  // coroutine) have nothing to spread; io's items only wait, in each model's own way.
  spec.floors = {
      FloorSpec::per_family({"cpu"}, {.tbb = primitive::kTbbParallelFor, .thread = primitive::kThreadSplit})};
  spec.bindings = bindings_of<parallel::Bodies>();
  return spec;
}

}  // namespace concbench
