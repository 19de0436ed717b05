// The --inject-slowdown testing aid (app/runner/slowdown.hpp): parsing, matching, and the wrapped cell.
#include "app/runner/slowdown.hpp"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "app/runner/plan.hpp"

namespace concbench {
namespace {

TEST(ParseSlowdown, WorkloadAndOptionalVariant) {
  const auto all = parse_slowdown("parallel=10");
  EXPECT_EQ(all.workload, "parallel");
  EXPECT_EQ(all.variant, "");
  EXPECT_DOUBLE_EQ(all.percent, 10);
  const auto one = parse_slowdown("parallel/io=2.5");
  EXPECT_EQ(one.variant, "io");
  EXPECT_DOUBLE_EQ(one.percent, 2.5);
}

TEST(ParseSlowdown, RefusesBadInput) {
  for (const char* text : {"parallel", "nope=10", "parallel/nope=10", "parallel=0", "parallel=-5", "parallel=abc",
                           "parallel=2000", "parallel=10%"}) {
    EXPECT_THROW(parse_slowdown(text), UsageError) << text;
  }
}

TEST(SlowdownRule, MatchesItsWorkloadAndVariantOnly) {
  const CellKey cpu{"parallel", "cpu", "thread", 2, 8, {}};
  const CellKey io{"parallel", "io", "thread", 2, 8, {}};
  EXPECT_TRUE(parse_slowdown("parallel=10").matches(cpu));
  EXPECT_TRUE(parse_slowdown("parallel=10").matches(io));
  EXPECT_FALSE(parse_slowdown("parallel/io=10").matches(cpu));
  EXPECT_FALSE(parse_slowdown("selftest=10").matches(cpu));
}

/// A cell whose every run sleeps a fixed time, counting its runs.
class SleepyCell final : public CellRun {
 public:
  std::int64_t items_per_run() const override { return 3; }
  void run_once() override {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ++runs;
  }
  Verdict verify() const override { return {false, "from the inner cell"}; }
  CellFigures figures() const override { return {}; }
  int runs = 0;
};

TEST(Slowed, RunsTheCellOnceAndLengthensEachRun) {
  auto inner = std::make_unique<SleepyCell>();
  auto* sleepy = inner.get();
  auto cell = slowed(std::move(inner), 100);
  const auto start = std::chrono::steady_clock::now();
  cell->run_once();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(sleepy->runs, 1);
  // At least twice the inner run's 20 ms: the added time is measured, then spun (a lower bound only).
  EXPECT_GE(took, std::chrono::milliseconds(40));
}

TEST(Slowed, PassesVerificationItemsAndFiguresThroughAndSaysSo) {
  auto cell = slowed(std::make_unique<SleepyCell>(), 12.5);
  EXPECT_EQ(cell->items_per_run(), 3);
  EXPECT_EQ(cell->verify().reason, "from the inner cell");
  EXPECT_EQ(cell->figures().metrics.at("injected_slowdown_pct"), "12.5");
}

}  // namespace
}  // namespace concbench
