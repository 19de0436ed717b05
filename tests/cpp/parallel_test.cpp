// The `parallel` workload (benchmarks/parallel/): slices, the reference answer, verification, and its cells.
#include "parallel/parallel.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry.hpp"

namespace concbench {
namespace {

using ::testing::HasSubstr;

CellKey cpu_key(const std::string& model, int cores, int tasks, int items, int work = 50) {
  return {"parallel", "cpu", model, cores, tasks,
          Params::parse("items=" + std::to_string(items) + ";work=" + std::to_string(work))};
}

CellKey io_key(const std::string& model, int cores, int tasks, int items, int wait_us = 1) {
  return {"parallel", "io", model, cores, tasks,
          Params::parse("items=" + std::to_string(items) + ";wait_us=" + std::to_string(wait_us))};
}

CellSetup make(const CellKey& key) { return find_workload("parallel")->make(key); }

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
      const auto slice = parallel::run_slice(config, task, [](auto) {});
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

/// Runs a cell a few times, as the measurement loop would, and returns its verdict.
Verdict run_and_verify(const CellKey& key, int runs = 3) {
  auto setup = make(key);
  if (!setup.run) {
    ADD_FAILURE() << key.label() << ": " << setup.unsupported;
    return {false, "no cell"};
  }
  EXPECT_EQ(setup.run->items_per_run(), key.params.get_int("items"));
  for (int i = 0; i < runs; ++i) setup.run->run_once();
  return setup.run->verify();
}

TEST(ParallelCell, MatchesTheReferenceOnEveryModelAndTaskCount) {
  for (const char* model : {"sequential", "thread"}) {
    for (int tasks : {1, 2, 3, 5, 8, 37}) {  // 3, 5, 37 do not divide 100 items
      const auto verdict = run_and_verify(cpu_key(model, 2, tasks, 100));
      EXPECT_TRUE(verdict.ok) << model << " tasks=" << tasks << ": " << verdict.reason;
    }
  }
}

TEST(ParallelCell, IoVariantDoesEveryItem) {
  for (const char* model : {"sequential", "thread"}) {
    const auto verdict = run_and_verify(io_key(model, 2, 5, 12));
    EXPECT_TRUE(verdict.ok) << model << ": " << verdict.reason;
  }
}

TEST(ParallelCell, ReportsTheWorkersItUsed) {
  auto setup = make(cpu_key("thread", 2, 8, 16));
  ASSERT_TRUE(setup.run);
  setup.run->run_once();
  const auto figures = setup.run->figures();
  EXPECT_EQ(figures.workers.workers, 8);
  EXPECT_EQ(figures.workers.mapping, "thread-per-task");
}

TEST(ParallelCell, UnknownModelIsUnsupportedWithAReason) {
  const auto setup = make(cpu_key("green-threads", 1, 2, 4));
  EXPECT_FALSE(setup.run);
  EXPECT_THAT(setup.unsupported, HasSubstr("green-threads"));
}

TEST(ParallelSpec, TasksMustNotExceedItems) {
  const auto& check = find_workload("parallel")->check;
  EXPECT_THAT(check(cpu_key("thread", 1, 9, 8)), HasSubstr("must not exceed"));
  EXPECT_EQ(check(cpu_key("thread", 1, 8, 8)), "");
}

TEST(SelftestWrongCell, VerifyGivesTheReason) {
  // The parallel cells cannot be made to go wrong from outside; selftest/wrong does it on purpose.
  auto setup = find_workload("selftest")->make({"selftest", "wrong", "thread", 2, 2, {}});
  ASSERT_TRUE(setup.run);
  EXPECT_TRUE(setup.run->verify().ok) << "nothing run yet, nothing wrong";
  setup.run->run_once();
  const auto verdict = setup.run->verify();
  EXPECT_FALSE(verdict.ok);
  EXPECT_THAT(verdict.reason, HasSubstr("sum 4, expected 3"));
}

}  // namespace
}  // namespace concbench
