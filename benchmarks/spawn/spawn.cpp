#include "benchmarks/spawn/spawn.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "harness/models/bare.hpp"

namespace concbench {

namespace spawn {
namespace {

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

bool power_of_ten(std::int64_t n) {
  while (n > 1 && n % 10 == 0) n /= 10;
  return n == 1;
}

}  // namespace

std::int64_t skynet_tasks(std::int64_t leaves) {
  std::int64_t tasks = 0;
  for (; leaves > 1; leaves /= static_cast<std::int64_t>(kFanOut)) tasks += leaves;
  return tasks + 1;  // the root
}

bool os_thread_per_task(std::string_view model) {
  // `thread` starts a std::thread per task of a fork-join up to ThreadModel::kMaxThreadPerTask (≥ 10, a
  // skynet node's children), and the global-lock models run their tasks on `thread`'s threads.
  return model == "thread" || model == "gil" || model == "gil-legacy";
}

Cell::Cell(const CellKey& key)
    : skynet_(key.variant == "skynet"),
      tasks_(key.tasks),
      leaves_(static_cast<std::uint64_t>(skynet_ ? key.params.get_int("leaves") : key.tasks)),
      expected_(leaves_ * (leaves_ - 1) / 2),
      slots_(skynet_ ? 0 : leaves_) {}

void Cell::begin_run() {
  if (rss_before_kb_ < 0) rss_before_kb_ = peak_rss_kb();  // one system call, in the first run only
}

void Cell::used_by_run(WorkerUse use) noexcept {
  used(use);
  mapping_ = use.mapping;
}

void Cell::used(WorkerUse use) noexcept {
  threads_started_.fetch_add(use.workers, std::memory_order_relaxed);  // read after the join
  for (int most = most_workers_.load(std::memory_order_relaxed);
       use.workers > most && !most_workers_.compare_exchange_weak(most, use.workers, std::memory_order_relaxed);) {
  }
}

void Cell::end_run(std::uint64_t skynet_sum) {
  std::uint64_t sum = skynet_sum;
  if (!skynet_) {
    sum = 0;
    // Each slot is emptied as it is summed: a task that did not run in the next run must not be covered by
    // the value it left in this one.
    for (auto& value : slots_) sum += std::exchange(value, 0);
  }
  record(sum == expected_, sum,
         {mapping_ == "thread-per-task" ? threads_started_.load() : most_workers_.load(), mapping_});
  threads_started_.store(0, std::memory_order_relaxed);
}

std::string Cell::explain(const std::uint64_t& sum) const {
  return fmt::format("the leaves summed to {}, expected {}", sum, expected_);
}

void Cell::add_figures(CellFigures& figures) const {
  if (rss_before_kb_ >= 0) {
    const auto grown_kb = std::max(0L, peak_rss_kb() - rss_before_kb_);
    figures.metrics["peak_rss_bytes_per_task"] =
        fmt::format("{:.4g}", static_cast<double>(grown_kb) * 1024.0 / static_cast<double>(tasks_));
  }
}

}  // namespace spawn

WorkloadSpec spawn_workload() {
  WorkloadSpec spec{.name = "spawn",
                    .description = "create and join many tiny tasks: one flat fork-join, or the skynet tree",
                    .variants = {"flat", "skynet"}};
  spec.params = {
      // flat: 1000 tasks stay within `thread`'s thread-per-task limit (1024), so every model really starts
      // a task each.
      {"tasks",
       "tasks spawned and joined per run (skynet: every node of the tree, leaves/10 + ... + 1 more)",
       "tasks",
       {"1000"},
       {"100"},
       1,
       100000000,
       {"flat"}},
      {"tasks",
       "tasks spawned and joined per run (skynet: every node of the tree, leaves/10 + ... + 1 more)",
       "tasks",
       {"1111111"},
       {"1111"},
       1,
       200000000,
       {"skynet"}},
      {"leaves",
       "leaves of the 10-ary tree (a power of ten)",
       "tasks",
       {"1000000"},
       {"1000"},
       1,
       100000000,
       {"skynet"}},
  };
  spec.check = [](const CellKey& key) -> std::string {
    if (key.variant != "skynet") return {};
    const auto leaves = key.params.get_int("leaves");
    if (!spawn::power_of_ten(leaves)) return fmt::format("leaves ({}) must be a power of ten", leaves);
    if (key.tasks != spawn::skynet_tasks(leaves)) {
      return fmt::format("tasks ({}) must be the tree's node count for {} leaves ({}); set tasks too", key.tasks,
                         leaves, spawn::skynet_tasks(leaves));
    }
    return {};
  };
  // Each family's spawn and join (spawn/spawn_bare.cpp); the coroutine and fiber loops run on one thread. No OS
  // thread per node for skynet: a million of them would measure the kernel's limits.
  FloorSpec::Families primitives{.coroutine = primitive::kCoroutineJoin,
                                 .fiber = primitive::kFiberJoin,
                                 .tbb = primitive::kTbbTaskGroup,
                                 .thread = primitive::kThreadJoin};
  const auto flat = FloorSpec::per_family({"flat"}, primitives);
  primitives.thread = {};
  spec.floors = {flat, FloorSpec::per_family({"skynet"}, primitives)};
  spec.bindings = bindings_of<spawn::Bodies>();
  return spec;
}

}  // namespace concbench
