// The `philosophers` workload (benchmarks/philosophers/): fork order, jitter, the invariant monitor, the
// fairness window, the deadlock monitor, and exact meal counts on every model.
#include "benchmarks/philosophers/philosophers.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "benchmarks/philosophers/deadlock_monitor.hpp"
#include "benchmarks/philosophers/table.hpp"
#include "benchmarks/workload_registry.hpp"
#include "harness/models/model.hpp"
#include "tests/cpp/cell_test_support.hpp"
#include "tests/cpp/workload_models.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using philosophers::Table;
using ::testing::HasSubstr;

/// A key with the parameters the plan gives `variant` (backoff_us only for trylock).
CellKey key(const std::string& variant, const std::string& model, int cores, int tasks, const std::string& extra = "") {
  const std::string backoff = variant == "trylock" ? ";backoff_us=20" : "";
  return {"philosophers",
          variant,
          model,
          cores,
          tasks,
          Params::parse("meals=4;think_us=20;eat_us=20;yield_between=1;gap_us=0;seed=1;deadlock_ms=5000" + backoff +
                        extra)};
}

TEST(PhilosophersForks, NaiveTakesLeftThenRightAndOrderedTheLowerFirst) {
  auto config = philosophers::Config::from(key("naive", "thread", 2, 5));
  const auto last = philosophers::forks_for(config, 4);
  EXPECT_EQ(last.first, 4u);
  EXPECT_EQ(last.second, 0u);  // the cycle: seat 4 holds fork 4 and wants fork 0, which seat 0 takes first
  config.strategy = philosophers::Strategy::kOrdered;
  const auto ordered = philosophers::forks_for(config, 4);
  EXPECT_EQ(ordered.first, 0u);
  EXPECT_EQ(ordered.second, 4u);
  EXPECT_EQ(philosophers::forks_for(config, 1).first, 1u);
}

TEST(PhilosophersJitter, StaysInRangeAndDependsOnSeedRunAndSeat) {
  philosophers::Jitter a(1, 1, 0);
  philosophers::Jitter same(1, 1, 0);
  for (int i = 0; i < 1000; ++i) {
    const auto draw = a.between(10us, 20us);
    EXPECT_GE(draw, 10us);
    EXPECT_LE(draw, 20us);
    EXPECT_EQ(draw, same.between(10us, 20us));
  }
  auto sequence = [](std::uint64_t seed, std::uint64_t run, std::size_t seat) {
    philosophers::Jitter jitter(seed, run, seat);
    std::string drawn;
    for (int i = 0; i < 8; ++i) drawn += std::to_string(jitter.between(0us, 1000us).count()) + ",";
    return drawn;
  };
  EXPECT_NE(sequence(1, 1, 0), sequence(2, 1, 0));
  EXPECT_NE(sequence(1, 1, 0), sequence(1, 2, 0));
  EXPECT_NE(sequence(1, 1, 0), sequence(1, 1, 1));
}

TEST(PhilosophersTable, CountsNeighboursEatingTogetherButNotOthers) {
  Table table(5, 1);
  table.begin_run();
  table.start_eating(0);
  table.start_eating(2);  // not a neighbour of 0
  table.stop_eating(2);
  table.start_eating(4);  // 4 and 0 are neighbours round the table
  table.stop_eating(4);
  table.stop_eating(0);
  for (std::size_t seat : {1u, 2u, 3u}) {
    table.start_eating(seat);
    table.stop_eating(seat);
  }
  const auto check = table.end_run();
  EXPECT_EQ(check.violations, 1);
  EXPECT_FALSE(check.right());
}

TEST(PhilosophersTable, FindsAPhilosopherWithTheWrongMealCount) {
  Table table(3, 2);
  table.begin_run();
  for (std::size_t seat : {0u, 1u, 2u, 0u, 2u}) {  // seat 1 eats once only
    table.start_eating(seat);
    table.stop_eating(seat);
  }
  const auto check = table.end_run();
  EXPECT_EQ(check.violations, 0);
  ASSERT_TRUE(check.wrong_seat);
  EXPECT_EQ(*check.wrong_seat, 1u);
  EXPECT_EQ(check.wrong_meals, 1);
}

TEST(PhilosophersTable, FairnessWindowClosesWhenTheFirstPhilosopherIsDone) {
  Table table(2, 3);
  table.begin_run();
  // Seat 0 eats all 3 meals while seat 1 has eaten 1: the window is {3, 1}, J = 16 / (2 · 10) = 0.8.
  for (std::size_t seat : {0u, 1u, 0u, 0u, 1u, 1u}) {
    table.record_wait(seat, seat == 0 ? 1us : 3us);
    table.start_eating(seat);
    table.stop_eating(seat);
  }
  EXPECT_TRUE(table.end_run().right());
  const auto fairness = table.fairness();
  ASSERT_TRUE(fairness.meals);
  EXPECT_DOUBLE_EQ(*fairness.meals, 0.8);
  ASSERT_TRUE(fairness.wait);
  EXPECT_DOUBLE_EQ(*fairness.wait, 144.0 / (2.0 * (9.0 + 81.0)));  // total waits 3 µs and 9 µs
  ASSERT_TRUE(fairness.wait_p99_us);
  EXPECT_DOUBLE_EQ(*fairness.wait_p99_us, 3.0);
}

TEST(PhilosophersDeadlockMonitor, ReportsWhenEveryoneStaysBlockedWithoutAMeal) {
  Table table(3, 1);
  table.begin_run();
  for (int i = 0; i < 3; ++i) table.mark_blocked();
  std::promise<DeadlockReport> reported;
  const auto start = std::chrono::steady_clock::now();
  philosophers::DeadlockMonitor monitor(table, 20ms, {{"seed", "7"}},
                                        [&](const DeadlockReport& report) { reported.set_value(report); });
  auto future = reported.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready) << "no report";
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms) << "reported before its bound";
  const auto report = future.get();
  EXPECT_THAT(report.reason, HasSubstr("no meal for 20 ms"));
  EXPECT_EQ(report.metrics.at("blocked"), "3");
  EXPECT_EQ(report.metrics.at("meals_done"), "0");
  EXPECT_EQ(report.metrics.at("deadlock_ms"), "20");
  EXPECT_EQ(report.metrics.at("seed"), "7");
}

TEST(PhilosophersDeadlockMonitor, StaysQuietWhileSomeoneIsFreeOrMealsComplete) {
  // Look by look, on a clock of the test's own: no sleep can make it pass or fail.
  using philosophers::StuckWatch;
  const StuckWatch::Clock::time_point t0{};
  const auto at = [&](int ms) { return t0 + std::chrono::milliseconds(ms); };
  StuckWatch watch(5ms);
  for (int ms = 0; ms <= 60; ms += 1) EXPECT_FALSE(watch.look(0, 2, 3, at(ms))) << "two of three blocked: one can eat";
  // All three blocked, but a meal completes between every two looks (a philosopher freed and ate).
  for (int look = 0; look < 30; ++look) EXPECT_FALSE(watch.look(look, 3, 3, at(61 + 2 * look))) << look;
  // Then nobody eats: quiet until the bound has passed since the first stuck look, reported from then on.
  EXPECT_FALSE(watch.look(29, 3, 3, at(200)));
  EXPECT_FALSE(watch.look(29, 3, 3, at(204)));
  EXPECT_TRUE(watch.look(29, 3, 3, at(205)));
  // A philosopher leaving the table (at_table shrinks) with the others blocked is still stuck; an empty
  // table is never a deadlock.
  StuckWatch empty(5ms);
  for (int ms = 0; ms <= 20; ++ms) EXPECT_FALSE(empty.look(0, 0, 0, at(ms)));
}

TEST(PhilosophersSpec, RefusesADeadlockBoundNoLongerThanAMeal) {
  const auto* spec = find_workload("philosophers");
  ASSERT_NE(spec, nullptr);
  EXPECT_THAT(spec->check(key("naive", "thread", 2, 5, ";deadlock_ms=1;eat_us=1000")), HasSubstr("deadlock_ms"));
  EXPECT_EQ(spec->check(key("naive", "thread", 2, 5)), "");
}

/// A philosophers cell's verdict after `runs` runs (testing::run_and_verify): a run does 4 items per seat (task).
Verdict run_philosophers_cell(const CellKey& k, int runs = 3) {
  return testing::run_and_verify(k, k.tasks * 4, testing::kFastGil, runs);
}

// fiber-ws sets up its pool once per process: every fiber-ws cell in this binary uses 2 cores. ThreadSanitizer
// does not follow Boost.Context's stack switches (docs/traps.md).
#if defined(__SANITIZE_THREAD__)
constexpr const char* kOverlapModels[] = {"coroutine", "thread"};
#else
constexpr const char* kOverlapModels[] = {"coroutine", "fiber", "thread"};
#endif

TEST(PhilosophersCell, EveryDeadlockFreeStrategyEatsExactlyItsMealsOnEveryModel) {
  for (const auto& model : testing::workload_models()) {
    if (model == "tbb") continue;  // as many philosophers as threads only: TbbRunsAsManyPhilosophersAsThreads...
    for (const char* strategy : {"ordered", "waiter", "trylock"}) {
      const auto verdict = run_philosophers_cell(key(strategy, model, 2, 5));
      EXPECT_TRUE(verdict.ok) << strategy << " on " << model << ": " << verdict.reason;
    }
  }
}

TEST(PhilosophersCell, TbbRunsAsManyPhilosophersAsThreadsAndRefusesMore) {
  for (const char* strategy : {"ordered", "waiter", "trylock"}) {
    const auto verdict = run_philosophers_cell(key(strategy, "tbb", 2, 2));
    EXPECT_TRUE(verdict.ok) << strategy << ": " << verdict.reason;
  }
  const auto refused = testing::make_fast_gil_cell(key("ordered", "tbb", 2, 5));
  EXPECT_FALSE(refused.run);
  EXPECT_THAT(refused.unsupported, HasSubstr("cannot interleave"));
}

TEST(PhilosophersCell, NaiveCannotDeadlockOnSequential) {
  // One philosopher at a time puts both forks back before the next sits down.
  const auto verdict = run_philosophers_cell(key("naive", "sequential", 1, 5));
  EXPECT_TRUE(verdict.ok) << verdict.reason;
}

TEST(PhilosophersCell, NaiveDeadlocksOnTheCoroutineLoopAndANewRunStartsClean) {
  // Every coroutine takes its left fork and yields before any takes its right: the loop finds every task
  // waiting on another. The leaked forks are replaced, so the cell can run (and deadlock) again.
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the deadlocked tasks' frames and forks are leaked by design, which LeakSanitizer reports";
#endif
  auto setup = testing::make_fast_gil_cell(key("naive", "coroutine", 1, 5));
  ASSERT_TRUE(setup.run);
  EXPECT_THROW(setup.run->run_once(), DeadlockError);
  EXPECT_THROW(setup.run->run_once(), DeadlockError);
}

TEST(PhilosophersCell, TheInvariantMonitorCatchesAStrategyThatTakesNoForks) {
  // `no-forks` (test-only) lets neighbours eat together: on the cooperative models deterministically (every
  // philosopher starts eating, a blocking wait, before any stops), on threads by the eating time's overlap.
  for (const char* model : kOverlapModels) {
    const auto verdict = run_philosophers_cell(key("no-forks", model, 2, 5, ";eat_us=2000;think_us=0"), 2);
    EXPECT_FALSE(verdict.ok) << model;
    EXPECT_THAT(verdict.reason, HasSubstr("neighbours ate at the same time")) << model;
  }
  // ... and reports nothing where it cannot happen: sequential runs one philosopher at a time.
  EXPECT_TRUE(run_philosophers_cell(key("no-forks", "sequential", 1, 5)).ok);
}

TEST(PhilosophersCell, ReportsFairnessAndWaitFigures) {
  auto setup = testing::make_fast_gil_cell(key("ordered", "thread", 2, 5));
  ASSERT_TRUE(setup.run);
  setup.run->run_once();
  const auto figures = setup.run->figures();
  ASSERT_TRUE(figures.fairness);
  EXPECT_GE(*figures.fairness, 1.0 / 5 - 1e-9);
  EXPECT_LE(*figures.fairness, 1.0 + 1e-9);
  EXPECT_TRUE(figures.metrics.contains("fairness_wait"));
  EXPECT_TRUE(figures.metrics.contains("wait_p99_us"));
  EXPECT_EQ(figures.metrics.at("seed"), "1");
  EXPECT_EQ(figures.workers.workers, 5);
  // Sequential: the first philosopher eats all its meals before anyone else starts, so J = 1/N.
  auto sequential = testing::make_fast_gil_cell(key("ordered", "sequential", 1, 5));
  sequential.run->run_once();
  EXPECT_DOUBLE_EQ(*sequential.run->figures().fairness, 1.0 / 5);
}

}  // namespace
}  // namespace concbench
