// The `spawn` workload (benchmarks/spawn/): tree sizes, both variants on every model and every floor at tiny
// size, nested spawning, the refusal of a million OS threads, and a broken binding and floor caught as failed.
#include "benchmarks/spawn/spawn.hpp"

#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/cell_test_support.hpp"
#include "tests/cpp/workload_models.hpp"

#include "benchmarks/binding.hpp"
#include "benchmarks/spawn/spawn_bare.hpp"
#include "benchmarks/spawn/spawn_stackful.hpp"
#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench {
namespace {

using ::testing::HasSubstr;

CellKey skynet_key(const std::string& model, std::int64_t leaves) {
  return {"spawn",
          "skynet",
          model,
          testing::kCellCores,
          static_cast<int>(spawn::skynet_tasks(leaves)),
          Params::parse("leaves=" + std::to_string(leaves))};
}
CellKey flat_key(const std::string& model, int tasks) {
  return {"spawn", "flat", model, testing::kCellCores, tasks, {}};
}

TEST(SpawnTree, TasksCountEveryNode) {
  EXPECT_EQ(spawn::skynet_tasks(1), 1);
  EXPECT_EQ(spawn::skynet_tasks(10), 11);
  EXPECT_EQ(spawn::skynet_tasks(1000), 1111);
  EXPECT_EQ(spawn::skynet_tasks(1000000), 1111111);
}

TEST(SpawnSpec, RefusesLeavesThatAreNotAPowerOfTenAndAMismatchedTaskCount) {
  const auto* spec = find_workload("spawn");
  EXPECT_EQ(spec->check(skynet_key("thread", 100)), "");
  auto twenty = skynet_key("thread", 100);
  twenty.params = Params::parse("leaves=20");
  EXPECT_THAT(spec->check(twenty), HasSubstr("power of ten"));
  auto mismatched = skynet_key("thread", 100);
  mismatched.tasks = 100;
  EXPECT_THAT(spec->check(mismatched), HasSubstr("node count"));
}

/// Makes the cell, runs it twice and checks both runs summed every leaf once; returns its figures (none when it
/// could not be made, which fails the test).
std::optional<CellFigures> run_twice(const CellKey& cell_key) {
  auto setup = testing::make_cell(cell_key);
  if (!setup.run) {
    ADD_FAILURE() << cell_key.label() << ": " << setup.unsupported;
    return std::nullopt;
  }
  setup.run->run_once();
  setup.run->run_once();
  const auto verdict = setup.run->verify();
  EXPECT_TRUE(verdict.ok) << cell_key.label() << ": " << verdict.reason;
  EXPECT_EQ(setup.run->items_per_run(), cell_key.tasks);
  return setup.run->figures();
}

class SpawnEveryModel : public ::testing::TestWithParam<std::string> {};

TEST_P(SpawnEveryModel, FlatAndSkynetSumEveryLeafOnce) {
  for (const auto& cell_key : {flat_key(GetParam(), 37), skynet_key(GetParam(), 1), skynet_key(GetParam(), 100)}) {
    const auto ran = run_twice(cell_key);
    if (!ran) continue;
    const auto& figures = *ran;
    EXPECT_GE(figures.workers.workers, 1);
    EXPECT_TRUE(figures.metrics.contains("peak_rss_bytes_per_task"));
    if (spawn::os_thread_per_task(GetParam()) && cell_key.variant == "skynet") {
      EXPECT_EQ(figures.workers.workers, cell_key.tasks) << "an OS thread per node";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, SpawnEveryModel, ::testing::ValuesIn(testing::workload_models()),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (auto& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

// The floors (spawn/spawn_bare.hpp): thread-join is flat only. ThreadSanitizer does not follow Boost.Context's stack
// switches: no fiber floor under tsan (docs/traps.md).
struct Floor {
  const char* primitive;
  int workers;  // at kCellCores
  const char* mapping;
};
constexpr Floor kSpawnFloors[] = {
#if !defined(__SANITIZE_THREAD__)
    {"fiber-join", 1, "fiber-per-task"},
#endif
    {"tbb-task-group", testing::kCellCores, "tbb-task-per-task"},
    {"coroutine-join", 1, "coroutine-per-task"},
    {"thread-join", 37, "thread-per-task"},
};

CellKey with_primitive(CellKey key, const char* primitive) {
  key.model = "bare";
  key.params.set("primitive", primitive);
  return key;
}

TEST(SpawnFloors, EveryFloorSumsEveryLeafOnceAndNamesItsPrimitive) {
  for (const auto& floor : kSpawnFloors) {
    for (const auto& model_key : {flat_key("", 37), skynet_key("", 1), skynet_key("", 100)}) {
      if (model_key.variant == "skynet" && std::string(floor.primitive) == "thread-join") continue;
      const auto cell_key = with_primitive(model_key, floor.primitive);
      const auto ran = run_twice(cell_key);
      if (!ran) continue;
      const auto& figures = *ran;
      EXPECT_EQ(figures.metrics.at("primitive"), floor.primitive);
      EXPECT_EQ(figures.workers.mapping, floor.mapping) << cell_key.label();
      if (cell_key.variant == "flat") {
        EXPECT_EQ(figures.workers.workers, floor.workers) << cell_key.label();
      }
    }
  }
}

TEST(SpawnFloors, ModelRowsNameTheirFloorsPrimitive) {
  for (const auto& [model, primitive] : {std::pair{"tbb", "tbb-task-group"}, std::pair{"coroutine", "coroutine-join"},
                                         std::pair{"gil", "thread-join"}}) {
    auto setup = testing::make_cell(flat_key(model, 10));
    ASSERT_TRUE(setup.run) << model;
    setup.run->run_once();
    EXPECT_EQ(setup.run->figures().metrics.at("primitive"), primitive) << model;
  }
}

TEST(SpawnFloors, ThreadJoinRefusesMoreThreadsThanTheLimit) {
  const auto setup = testing::make_cell(with_primitive(flat_key("", spawn::kMaxOsThreads + 1), "thread-join"));
  EXPECT_FALSE(setup.run);
  EXPECT_THAT(setup.unsupported, HasSubstr("OS threads"));
}

TEST(SpawnUnsupported, AMillionLeafTreeOnOsThreadsIsRefusedWithTheReason) {
  for (const char* model : {"thread", "gil", "gil-legacy"}) {
    const auto setup = testing::make_cell(skynet_key(model, 1000000));
    EXPECT_FALSE(setup.run) << model;
    EXPECT_THAT(setup.unsupported, HasSubstr("1111111 OS threads")) << model;
  }
  EXPECT_TRUE(testing::make_cell(skynet_key("thread", 1000)).run);  // a small tree runs
}

/// A leaf that hands back 0 instead of its index 7.
struct LosesLeafSeven {
  static constexpr std::uint64_t leaf(std::uint64_t index) noexcept { return index == 7 ? 0 : index; }
};
template <class M>
using BrokenSpawn = spawn::StackfulSpawn<M, LosesLeafSeven>;

TEST(SpawnBrokenBinding, AWrongLeafFailsTheCell) {
  for (const auto& cell_key : {skynet_key("sequential", 100), skynet_key("thread", 100), flat_key("fiber", 20)}) {
    auto setup = make_stackful_cell<BrokenSpawn>(cell_key, ModelContext::of_cell(cell_key));
    ASSERT_TRUE(setup.run) << setup.unsupported;
    setup.run->run_once();
    const auto verdict = setup.run->verify();
    EXPECT_FALSE(verdict.ok) << cell_key.label();
    EXPECT_THAT(verdict.reason, HasSubstr("expected")) << cell_key.label();
  }
}

TEST(SpawnFloors, AFloorWithAWrongLeafFailsTheCell) {
  for (const auto& floor : kSpawnFloors) {
    for (const auto& model_key : {flat_key("", 20), skynet_key("", 100)}) {
      if (model_key.variant == "skynet" && std::string(floor.primitive) == "thread-join") continue;
      const auto cell_key = with_primitive(model_key, floor.primitive);
      spawn::BareSpawn<LosesLeafSeven> cell(cell_key);
      cell.run_once();
      const auto verdict = cell.verify();
      EXPECT_FALSE(verdict.ok) << cell_key.label();
      EXPECT_THAT(verdict.reason, HasSubstr("expected")) << cell_key.label();
    }
  }
}

/// A flat fork-join whose task 7 stores its value in the first run only, as if the model skipped it later.
class SkipsTaskSevenAfterTheFirstRun final : public spawn::Cell {
 public:
  using spawn::Cell::Cell;
  void run_once() override {
    begin_run();
    for (std::size_t task = 0; task < leaves(); ++task) {
      if (runs_ == 0 || task != 7) slot(task) = task;
    }
    ++runs_;
    used_by_run({1, "test"});
    end_run(0);
  }

 private:
  int runs_ = 0;
};

TEST(SpawnBrokenBinding, ATaskMissingFromALaterRunIsNotCoveredByTheFirst) {
  SkipsTaskSevenAfterTheFirstRun cell(flat_key("sequential", 20));
  cell.run_once();
  EXPECT_TRUE(cell.verify().ok) << cell.verify().reason;
  cell.run_once();
  const auto verdict = cell.verify();
  EXPECT_FALSE(verdict.ok) << "the second run lost task 7's value";
  EXPECT_THAT(verdict.reason, HasSubstr("in 1 of 2 runs"));
}

}  // namespace
}  // namespace concbench
