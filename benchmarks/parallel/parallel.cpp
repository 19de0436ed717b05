#include "parallel/parallel.hpp"

#include <fmt/format.h>

namespace concbench {

CellSetup make_parallel_stackful(const CellKey& key);   // parallel/stackful.cpp
CellSetup make_parallel_coroutine(const CellKey& key);  // parallel/coroutine.cpp

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
  }
  return config;
}

std::uint64_t cpu_item(std::uint64_t item, std::int64_t rounds) {
  // splitmix64's finaliser, iterated: each round depends on the last, so the chain cannot be vectorised
  // or folded, and its cost per round is the same on every model.
  std::uint64_t x = item * 0x9e3779b97f4a7c15ULL + 1;
  for (std::int64_t r = 0; r < rounds; ++r) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
  }
  return x;
}

Range slice(const Config& config, std::int64_t task) {
  return {config.items * task / config.tasks, config.items * (task + 1) / config.tasks};
}

SliceResult reference(const Config& config) {
  Config one_task = config;
  one_task.tasks = 1;
  return run_slice(one_task, 0, [](auto) {});  // the count and checksum do not depend on the waits
}

Verdict check(const SliceResult& got, const SliceResult& expected) {
  if (got.count != expected.count) {
    return {false, fmt::format("{} items done, expected {}", got.count, expected.count)};
  }
  if (got.checksum != expected.checksum) {
    return {false, fmt::format("checksum {:#x}, expected {:#x} (the sequential result)", got.checksum,
                               expected.checksum)};
  }
  return {};
}

Cell::Cell(const CellKey& key)
    : config_(Config::from(key)), expected_(reference(config_)), slots_(static_cast<std::size_t>(config_.tasks)) {}

void Cell::end_run(WorkerUse workers) {
  workers_ = workers;
  SliceResult total;
  for (const auto& slot : slots_) {
    total.count += slot.value.count;
    total.checksum += slot.value.checksum;
  }
  if (total.count != expected_.count || total.checksum != expected_.checksum) {
    ++bad_runs_;
    last_bad_ = total;
  }
  ++runs_;
}

Verdict Cell::verify() const {
  if (bad_runs_ == 0) return {};
  auto verdict = check(last_bad_, expected_);
  verdict.reason += " in " + std::to_string(bad_runs_) + " of " + std::to_string(runs_) + " runs";
  return verdict;
}

CellFigures Cell::figures() const {
  CellFigures figures;
  figures.workers = workers_;
  return figures;
}

}  // namespace parallel

WorkloadSpec parallel_workload() {
  WorkloadSpec spec;
  spec.name = "parallel";
  spec.description = "embarrassingly parallel items: CPU-bound (cpu) or blocking-I/O-bound (io)";
  spec.variants = {"cpu", "io"};
  spec.params = {
      {"tasks", "logical tasks the items are split over", "tasks", {"1", "8", "64"}, {"8"}, 1, 100000, {}},
      // cpu runs long enough (≈ 60 ms sequential) that thread start-up and the kernel's load balancing of
      // oversubscribed threads do not dominate; io stays short because each item really waits.
      {"items", "items of work per run", "items", {"2048"}, {"64"}, 1, 100000000, {"cpu"}},
      {"items", "items of work per run", "items", {"256"}, {"64"}, 1, 100000000, {"io"}},
      {"work", "hash rounds per cpu item (about 2.5 ns each on a 2020s x86 core)", "rounds", {"10000"}, {}, 1,
       1000000000, {"cpu"}},
      {"wait_us", "blocking time per io item", "us", {"1000"}, {}, 1, 10000000, {"io"}},
  };
  spec.check = [](const CellKey& key) -> std::string {
    const auto items = key.params.get_int("items");
    if (key.tasks > items) return fmt::format("tasks ({}) must not exceed items ({})", key.tasks, items);
    return {};
  };
  spec.make = [](const CellKey& key) {
    return is_coroutine_model(key.model) ? make_parallel_coroutine(key) : make_parallel_stackful(key);
  };
  return spec;
}

}  // namespace concbench
