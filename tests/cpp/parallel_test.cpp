// The `parallel` workload (benchmarks/parallel/): slices, the reference answer, verification, and its cells.
#include "benchmarks/parallel/parallel.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <tuple>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"
#include "tests/cpp/cell_test_support.hpp"

namespace concbench {
namespace {

using ::testing::HasSubstr;

CellKey cpu_key(const std::string& model, int cores, int tasks, int items, int work = 50) {
  return {"parallel", "cpu", model,
          cores,      tasks, Params::parse("items=" + std::to_string(items) + ";work=" + std::to_string(work))};
}

CellKey io_key(const std::string& model, int cores, int tasks, int items, int wait_us = 1) {
  return {"parallel", "io",  model,
          cores,      tasks, Params::parse("items=" + std::to_string(items) + ";wait_us=" + std::to_string(wait_us))};
}

TEST(ParallelSlice, SlicesCoverEveryItemOnceEvenWhenTasksDoNotDivideItems) {
  for (int items : {1, 7, 10, 64, 100}) {
    for (int tasks = 1; tasks <= items && tasks <= 13; ++tasks) {
      const auto config = parallel::Config::from(cpu_key("sequential", 1, tasks, items));
      std::int64_t next = 0;
      for (int task = 0; task < tasks; ++task) {
        const auto range = parallel::slice(config, task);
        EXPECT_EQ(range.first, next) << items << " items, " << tasks << " tasks";
        EXPECT_LE(range.last - range.first, items / tasks + 1);  // even shares
        next = range.last;
      }
      EXPECT_EQ(next, items);
    }
  }
}

TEST(ParallelReference, IsThePlainLoopOverEveryItem) {
  const auto config = parallel::Config::from(cpu_key("sequential", 1, 3, 10, 25));
  std::uint64_t checksum = 0;
  for (std::uint64_t item = 0; item < 10; ++item) checksum += parallel::cpu_item(item, 25);
  const auto reference = parallel::reference(config);
  EXPECT_EQ(reference.count, 10u);
  EXPECT_EQ(reference.checksum, checksum);
}

TEST(ParallelReference, IoChecksumIsTheSumOfItemNumbersPlusOne) {
  const auto reference = parallel::reference(parallel::Config::from(io_key("sequential", 1, 5, 12)));
  EXPECT_EQ(reference.count, 12u);
  EXPECT_EQ(reference.checksum, 78u);  // 1 + 2 + ... + 12
}

TEST(ParallelCpuItem, DependsOnItemAndRounds) {
  EXPECT_EQ(parallel::cpu_item(3, 100), parallel::cpu_item(3, 100));
  EXPECT_NE(parallel::cpu_item(3, 100), parallel::cpu_item(4, 100));
  EXPECT_NE(parallel::cpu_item(3, 100), parallel::cpu_item(3, 101));
}

TEST(ParallelSlicesSum, EqualsTheReferenceForAnyTaskCount) {
  // What every model's cell adds up: the per-task results, whatever the split.
  for (int tasks : {1, 2, 3, 7, 64}) {
    const auto config = parallel::Config::from(cpu_key("thread", 2, tasks, 64));
    parallel::SliceResult total;
    for (int task = 0; task < tasks; ++task) {
      const auto slice = parallel::run_slice(
          config, task, [](auto) {}, [] {});
      total.count += slice.count;
      total.checksum += slice.checksum;
    }
    const auto reference = parallel::reference(config);
    EXPECT_EQ(total.count, reference.count) << tasks;
    EXPECT_EQ(total.checksum, reference.checksum) << tasks;
  }
}

TEST(ParallelCheck, ReportsWhatIsWrong) {
  const parallel::SliceResult expected{10, 0xabc};
  EXPECT_TRUE(parallel::check({10, 0xabc}, expected).ok);
  const auto short_count = parallel::check({9, 0xabc}, expected);
  EXPECT_FALSE(short_count.ok);
  EXPECT_THAT(short_count.reason, HasSubstr("9 items done, expected 10"));
  const auto bad_sum = parallel::check({10, 0xabd}, expected);
  EXPECT_FALSE(bad_sum.ok);
  EXPECT_THAT(bad_sum.reason, HasSubstr("checksum 0xabd, expected 0xabc"));
}

/// A parallel cell's verdict after a few runs (testing::run_and_verify): a run does the key's `items`.
Verdict run_parallel_cell(const CellKey& key) { return testing::run_and_verify(key, key.params.get_int("items")); }

TEST(ParallelCell, MatchesTheReferenceOnEveryModelAndTaskCount) {
  for (const char* model : {"sequential", "thread"}) {
    for (int tasks : {1, 2, 3, 5, 8, 37}) {  // 3, 5, 37 do not divide 100 items
      const auto verdict = run_parallel_cell(cpu_key(model, 2, tasks, 100));
      EXPECT_TRUE(verdict.ok) << model << " tasks=" << tasks << ": " << verdict.reason;
    }
  }
}

TEST(ParallelCell, IoVariantDoesEveryItem) {
  for (const char* model : {"sequential", "thread"}) {
    const auto verdict = run_parallel_cell(io_key(model, 2, 5, 12));
    EXPECT_TRUE(verdict.ok) << model << ": " << verdict.reason;
  }
}

// The Boost.Fiber and oneTBB models run the same generic body (parallel/stackful.cpp). fiber-ws sets up its
// thread pool once per process, so every fiber-ws cell in this binary uses 2 cores. ThreadSanitizer does
// not follow Boost.Context's stack switches: under tsan only tbb is run here (docs/traps.md).
#if defined(__SANITIZE_THREAD__)
constexpr const char* kFiberAndTbbModels[] = {"tbb"};
#else
constexpr const char* kFiberAndTbbModels[] = {"fiber", "fiber-ws", "tbb"};
#endif

TEST(ParallelCell, FiberAndTbbModelsReproduceTheReference) {
  for (const char* model : kFiberAndTbbModels) {
    for (int tasks : {1, 2, 3, 5, 8, 37}) {
      const auto verdict = run_parallel_cell(cpu_key(model, 2, tasks, 100));
      EXPECT_TRUE(verdict.ok) << model << " tasks=" << tasks << ": " << verdict.reason;
    }
    const auto io = run_parallel_cell(io_key(model, 2, 5, 12));
    EXPECT_TRUE(io.ok) << model << " io: " << io.reason;
  }
}

TEST(ParallelCell, FiberAndTbbModelsReportTheirWorkers) {
  for (const char* model : kFiberAndTbbModels) {
    auto setup = testing::make_cell(cpu_key(model, 2, 8, 16));
    ASSERT_TRUE(setup.run) << model;
    setup.run->run_once();
    const auto workers = setup.run->figures().workers;
    const std::string id = model;
    if (id == "fiber") {
      EXPECT_EQ(workers.workers, 1);
      EXPECT_EQ(workers.mapping, "fiber-per-task");
    } else {
      // Pool or arena threads that ran at least one task: 1 or 2 of the 2.
      EXPECT_GE(workers.workers, 1) << model;
      EXPECT_LE(workers.workers, 2) << model;
      EXPECT_EQ(workers.mapping, id == "tbb" ? "tbb-task-per-task" : "fiber-per-task") << model;
    }
  }
}

#if !defined(__SANITIZE_THREAD__)
TEST(ParallelCell, AFiberCellOfManyWaitingTasksFinishesVerified) {
  // 64 tasks of one 20 ms wait each, many more than threads. That the waits overlap is asserted by order, not
  // by a clock, for every model (ModelPrimitives.BlockingWaitLetsOtherTasksProgress); here, the cell's body.
  for (const char* model : {"fiber", "fiber-ws"}) {
    auto setup = testing::make_cell(io_key(model, 2, 64, 64, 20000));
    ASSERT_TRUE(setup.run) << model;
    setup.run->run_once();
    EXPECT_TRUE(setup.run->verify().ok) << model;
  }
}
#endif

TEST(ParallelCell, ReportsTheWorkersItUsed) {
  auto setup = testing::make_cell(cpu_key("thread", 2, 8, 16));
  ASSERT_TRUE(setup.run);
  setup.run->run_once();
  const auto figures = setup.run->figures();
  EXPECT_EQ(figures.workers.workers, 8);
  EXPECT_EQ(figures.workers.mapping, "thread-per-task");
}

/// The registry's coroutine models.
std::vector<std::string> coroutine_models() {
  std::vector<std::string> ids;
  for (const auto& model : all_models()) {
    if (is_coroutine_model(model.id)) ids.emplace_back(model.id);
  }
  return ids;
}

TEST(ParallelCell, CoroutineModelsReproduceTheReference) {
  for (const auto& model : coroutine_models()) {
    for (int cores : {1, 2}) {
      for (int tasks : {1, 2, 3, 5, 8, 37}) {
        const auto verdict = run_parallel_cell(cpu_key(model, cores, tasks, 100));
        EXPECT_TRUE(verdict.ok) << model << " cores=" << cores << " tasks=" << tasks << ": " << verdict.reason;
      }
      const auto io = run_parallel_cell(io_key(model, cores, 5, 12));
      EXPECT_TRUE(io.ok) << model << " io: " << io.reason;
    }
  }
}

TEST(ParallelCell, CoroutineModelsReportTheirWorkers) {
  for (const auto& model : coroutine_models()) {
    // A one-thread model is planned at 1 core; a pool runs one worker per core.
    const int cores = model_runs_on_one_thread(model) ? 1 : 2;
    const int workers = cores;
    auto setup = testing::make_cell(cpu_key(model, cores, 8, 16));
    ASSERT_TRUE(setup.run) << model;
    setup.run->run_once();
    EXPECT_EQ(setup.run->figures().workers.workers, workers) << model;
  }
}

TEST(ParallelCell, ACoroutineCellOfManyWaitingTasksFinishesVerified) {
  // 64 tasks of one 20 ms wait each on the single-threaded loop; the overlap itself is asserted by order
  // (CoroutineModelTest.ManyBlockingWaitsOverlapOnOneWorker, CoroutineLoopModel.AThousandBlockingWaits...).
  auto setup = testing::make_cell(io_key("coroutine", 1, 64, 64, 20000));
  ASSERT_TRUE(setup.run);
  setup.run->run_once();
  EXPECT_TRUE(setup.run->verify().ok);
}

// tbb::parallel_for's own task objects (the range's splits, their wait tree, its context) are built inline in
// our code and handed over inside the uninstrumented libtbb: ThreadSanitizer reports each of them, and rules
// broad enough to hide them all would hide a race in a body too. So no tbb-parallel-for under tsan (the tbb
// model's task_group and spawn's tbb-task-group floor are run there, with their edges annotated).
#if defined(__SANITIZE_THREAD__)
constexpr const char* kParallelFloors[] = {"thread-split"};
#else
constexpr const char* kParallelFloors[] = {"tbb-parallel-for", "thread-split"};
#endif

TEST(ParallelFloors, EveryFloorReproducesTheReferenceAndNamesItsPrimitive) {
  for (const char* primitive : kParallelFloors) {
    for (int cores : {1, 2}) {
      for (int tasks : {1, 2, 3, 5, 8, 37}) {
        auto key = cpu_key("bare", cores, tasks, 100);
        key.params.set("primitive", primitive);
        const auto verdict = run_parallel_cell(key);
        EXPECT_TRUE(verdict.ok) << key.label() << ": " << verdict.reason;
        auto setup = testing::make_cell(key);
        setup.run->run_once();
        const auto figures = setup.run->figures();
        EXPECT_EQ(figures.metrics.at("primitive"), primitive);
        EXPECT_EQ(figures.workers.workers, std::string(primitive) == "thread-split" ? std::min(tasks, cores) : cores);
      }
    }
  }
}

TEST(ParallelFloors, ModelRowsNameTheirFloorsPrimitiveWhereTheyHaveOne) {
  for (const auto& [model, primitive] : {std::pair{"tbb", "tbb-parallel-for"}, std::pair{"thread", "thread-split"},
                                         std::pair{"sequential", ""}, std::pair{"coroutine", ""}}) {
    auto setup = testing::make_cell(cpu_key(model, 1, 2, 4));
    ASSERT_TRUE(setup.run) << model;
    setup.run->run_once();
    const auto metrics = setup.run->figures().metrics;
    EXPECT_EQ(metrics.contains("primitive") ? metrics.at("primitive") : "", primitive) << model;
  }
  auto io = testing::make_cell(io_key("thread", 1, 2, 4));
  io.run->run_once();
  EXPECT_FALSE(io.run->figures().metrics.contains("primitive")) << "io has no floor";
}

TEST(ParallelCell, UnknownModelIsUnsupportedWithAReason) {
  const auto setup = testing::make_cell(cpu_key("green-threads", 1, 2, 4));
  EXPECT_FALSE(setup.run);
  EXPECT_THAT(setup.unsupported, HasSubstr("green-threads"));
}

TEST(ParallelSpec, TasksMustNotExceedItems) {
  const auto& check = find_workload("parallel")->check;
  EXPECT_THAT(check(cpu_key("thread", 1, 9, 8)), HasSubstr("must not exceed"));
  EXPECT_EQ(check(cpu_key("thread", 1, 8, 8)), "");
}

/// A cell whose task 1 stores its slice's result in the first run only, as if the model skipped it later.
class SkipsTaskOneAfterTheFirstRun final : public parallel::Cell {
 public:
  using parallel::Cell::Cell;
  void run_once() override {
    for (std::size_t task = 0; task < tasks(); ++task) {
      if (runs_ == 0 || task != 1) {
        store(task, parallel::run_slice(
                        config(), static_cast<std::int64_t>(task), [](auto) {}, [] {}));
      }
    }
    ++runs_;
    end_run({1, "test"});
  }

 private:
  int runs_ = 0;
};

TEST(ParallelCell, ATaskMissingFromALaterRunIsNotCoveredByTheFirst) {
  SkipsTaskOneAfterTheFirstRun cell(cpu_key("sequential", 1, 3, 9));
  cell.run_once();
  EXPECT_TRUE(cell.verify().ok) << cell.verify().reason;
  cell.run_once();
  const auto verdict = cell.verify();
  EXPECT_FALSE(verdict.ok) << "the second run lost task 1's items";
  EXPECT_THAT(verdict.reason, HasSubstr("in 1 of 2 runs"));
}

TEST(SelftestWrongCell, VerifyGivesTheReason) {
  // The parallel cells cannot be made to go wrong from outside; selftest/wrong does it on purpose.
  auto setup = testing::make_cell({"selftest", "wrong", "thread", 2, 2, {}});
  ASSERT_TRUE(setup.run);
  EXPECT_TRUE(setup.run->verify().ok) << "nothing run yet, nothing wrong";
  setup.run->run_once();
  const auto verdict = setup.run->verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_THAT(verdict.reason, HasSubstr("sum 4, expected 3"));
}

}  // namespace
}  // namespace concbench

namespace concbench {
namespace {

TEST(ParallelTicks, TickingChangesNeitherTheWorkNorTheAnswerAndTicksAtTheRightPlaces) {
  for (std::int64_t per_tick : {1, 3, 7, 1000}) {
    int ticks = 0;
    const auto ticked = parallel::cpu_item_ticking(42, 100, per_tick, [&] { ++ticks; });
    EXPECT_EQ(ticked, parallel::cpu_item(42, 100)) << per_tick;
    EXPECT_EQ(ticks, (100 + per_tick - 1) / per_tick) << per_tick;  // after every tick's rounds and the last
  }
}

TEST(ParallelTicks, GlobalLockCellsTickAndStillReproduceTheSequentialAnswer) {
  for (const char* model : {"gil", "gil-legacy"}) {
    const CellKey key{"parallel", "cpu", model, 2, 4, Params::parse("items=16;work=200")};
    auto setup = testing::make_cell(key);
    ASSERT_TRUE(setup.run) << setup.unsupported;
    setup.run->run_once();
    EXPECT_TRUE(setup.run->verify().ok) << model << ": " << setup.run->verify().reason;
    EXPECT_GE(std::stoll(setup.run->figures().metrics.at("rounds_per_tick")), 1) << model;
  }
}

TEST(ParallelTicks, OtherModelsDoNotTick) {
  const CellKey key{"parallel", "cpu", "thread", 2, 4, Params::parse("items=16;work=200")};
  auto setup = testing::make_cell(key);
  ASSERT_TRUE(setup.run);
  EXPECT_EQ(setup.run->figures().metrics.count("rounds_per_tick"), 0u);
}

}  // namespace
}  // namespace concbench
