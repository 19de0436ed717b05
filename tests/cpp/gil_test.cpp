// The global-lock models (harness/models/gil/): CPython's GIL and Python 2's lock. Assertions are on
// order and counts, never on how long anything took beyond generous lower bounds (sanitizer builds are slow).
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "harness/models/gil.hpp"
#include "harness/models/gil/gil_lock.hpp"
#include "harness/models/gil/held_time.hpp"
#include "harness/models/gil/holder_monitor.hpp"
#include "harness/models/gil/legacy_lock.hpp"
#include "harness/models/gil/settings.hpp"
#include "harness/models/gil_legacy.hpp"
#include "harness/models/interpreted.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

/// Runs `threads` threads that each take the lock, then tick `ticks` times, checking that nobody else is
/// inside between two checkpoints, then drop it.
template <class Lock>
void expect_mutual_exclusion(Lock& lock, int threads, int ticks) {
  std::atomic<int> inside{0};
  std::atomic<int> violations{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      lock.take();
      for (int i = 0; i < ticks; ++i) {
        if (inside.fetch_add(1) != 0) violations.fetch_add(1);
        inside.fetch_sub(1);
        lock.checkpoint();
      }
      lock.drop();
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_EQ(lock.stats().holders().overlaps(), 0u) << "the lock's own monitor (holder_monitor.hpp) saw two holders";
}

TEST(GilLock, NoTwoThreadsEverInside) {
  gil::GilLock lock(200us);
  expect_mutual_exclusion(lock, 4, 200000);
}

TEST(LegacyLock, NoTwoThreadsEverInside) {
  gil::LegacyLock lock(99);
  expect_mutual_exclusion(lock, 4, 200000);
}

TEST(HolderMonitor, CountsNothingForOneHolderAtATime) {
  gil::HolderMonitor monitor;
  const char a = 0, b = 0;
  for (int i = 0; i < 3; ++i) {
    monitor.enter(&a);
    monitor.leave(&a);
    monitor.enter(&b);
    monitor.leave(&b);
  }
  EXPECT_EQ(monitor.overlaps(), 0u);
}

TEST(HolderMonitor, SeesASecondHolderWhetherItEntersOverTheFirstOrOverwritesItsMark) {
  const char a = 0, b = 0;
  gil::HolderMonitor over;  // b enters while a holds
  over.enter(&a);
  over.enter(&b);
  EXPECT_GE(over.overlaps(), 1u);
  gil::HolderMonitor overwritten;  // both saw it free at once: only a's leave can tell
  overwritten.enter(&b);
  overwritten.leave(&a);
  EXPECT_EQ(overwritten.overlaps(), 1u);
}

TEST(GilLock, TwoCpuBoundThreadsBothProgressThroughForcedSwitches) {
  gil::GilLock lock(1ms);
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> ticks[2] = {0, 0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 2; ++t) {
    workers.emplace_back([&, t] {
      lock.take();
      while (!stop.load(std::memory_order_relaxed)) {
        ticks[t].fetch_add(1, std::memory_order_relaxed);
        lock.checkpoint();
      }
      lock.drop();
    });
  }
  // Wait (bounded) until the lock has been forced to change hands several times.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (lock.stats().forced_drops() < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  stop = true;
  for (auto& worker : workers) worker.join();
  EXPECT_GE(lock.stats().forced_drops(), 4u);
  EXPECT_GE(lock.stats().switches(), 4u);
  EXPECT_GT(ticks[0].load(), 0);
  EXPECT_GT(ticks[1].load(), 0);
}

TEST(GilLock, AForcedDropHandsTheLockToAnotherThread) {
  gil::GilLock lock(500us);
  std::atomic<bool> stop{false};
  std::atomic<bool> holding{false};
  std::atomic<std::int64_t> other_turns{0};
  int forced = 0;
  int taken_straight_back = 0;
  std::thread holder([&] {
    lock.take();
    holding = true;
    while (!stop.load()) {
      const auto drops_before = lock.stats().forced_drops();
      const auto turns_before = other_turns.load();
      lock.checkpoint();
      if (lock.stats().forced_drops() != drops_before) {
        ++forced;
        if (other_turns.load() == turns_before) ++taken_straight_back;
      }
    }
    lock.drop();
  });
  std::thread other([&] {
    while (!holding.load()) std::this_thread::yield();  // the holder has the lock first: it must be forced
    while (!stop.load()) {
      lock.take();
      other_turns.fetch_add(1);
      lock.drop();
      std::this_thread::sleep_for(100us);
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (other_turns.load() < 5 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  stop = true;
  holder.join();
  other.join();
  EXPECT_GE(forced, 1);
  EXPECT_EQ(taken_straight_back, 0) << "the dropper took the lock back before the waiter had it";
}

TEST(GilLock, AWaiterAsksForTheLockOnlyAfterTheInterval) {
  constexpr auto kInterval = 50ms;
  gil::GilLock lock(kInterval);
  std::atomic<bool> waiter_started{false};
  std::atomic<bool> waiter_has_it{false};
  std::chrono::steady_clock::duration waited{};
  lock.take();
  std::thread waiter([&] {
    const auto start = std::chrono::steady_clock::now();
    waiter_started = true;
    lock.take();
    waited = std::chrono::steady_clock::now() - start;
    waiter_has_it = true;
    lock.drop();
  });
  while (!waiter_started.load()) std::this_thread::yield();
  while (!waiter_has_it.load()) lock.checkpoint();  // the holder keeps running ticks until asked to drop
  lock.drop();
  waiter.join();
  EXPECT_GE(waited, kInterval);  // a lower bound only: the holder drops no earlier than asked
  EXPECT_EQ(lock.stats().forced_drops(), 1u);
}

/// The per-thread hold time (held_time.hpp): it grows while the thread holds the lock — by at least the time it
/// slept holding it — and not at all while it does not; checkpoints that keep the lock do not break the hold.
template <class Lock>
void expect_hold_time_counts_only_holds(Lock& lock) {
  std::thread([&] {
    EXPECT_EQ(gil::HeldTime::of_this_thread(), 0ns);
    lock.take();
    std::this_thread::sleep_for(5ms);
    for (int i = 0; i < 1000; ++i) lock.checkpoint();  // alone: every release is won straight back
    const auto holding = gil::HeldTime::of_this_thread();
    EXPECT_GE(holding, 5ms);
    lock.drop();
    const auto dropped = gil::HeldTime::of_this_thread();
    EXPECT_GE(dropped, holding);
    std::this_thread::sleep_for(5ms);
    EXPECT_EQ(gil::HeldTime::of_this_thread(), dropped) << "the hold time grew while the lock was not held";
    lock.take();
    std::this_thread::sleep_for(1ms);
    EXPECT_GE(gil::HeldTime::of_this_thread(), dropped + 1ms);
    lock.drop();
  }).join();
}

TEST(GilLock, HoldTimeCountsOnlyWhileHolding) {
  gil::GilLock lock(1ms);
  expect_hold_time_counts_only_holds(lock);
}

TEST(LegacyLock, HoldTimeCountsOnlyWhileHolding) {
  gil::LegacyLock lock(10);
  expect_hold_time_counts_only_holds(lock);
}

/// Through the model: a task blocked in a blocking call does not hold the lock.
template <class Model>
void expect_blocking_wait_releases_the_lock() {
  Model model(ModelContext{.cores = 2, .params = Params::parse("gil_interval_us=1000")});
  std::atomic<bool> first_blocking{false};
  std::atomic<bool> second_ran{false};
  int waits = 0;
  model.run_tasks(2, [&](std::size_t index) {
    if (index == 0) {
      first_blocking = true;
      // Keeps blocking until task 1 has run: while task 0 is still in this loop, task 1 can only run if
      // the blocked task let go of the lock.
      while (!second_ran.load() && waits < 10000) {
        Model::block_for(100us);
        ++waits;
      }
    } else {
      while (!first_blocking.load()) Model::yield();
      second_ran = true;
    }
  });
  EXPECT_TRUE(second_ran.load());
  EXPECT_LT(waits, 10000) << "task 1 ran only after task 0 stopped blocking";
  EXPECT_GT(std::stoll(Model::process_metrics().at("voluntary_drops")), 0);
}

TEST(GilModel, ABlockedTaskDoesNotHoldTheLock) { expect_blocking_wait_releases_the_lock<GilModel>(); }
TEST(GilLegacyModel, ABlockedTaskDoesNotHoldTheLock) { expect_blocking_wait_releases_the_lock<GilLegacyModel>(); }

TEST(GilModel, ATaskExceptionReleasesTheLockAndReachesTheJoin) {
  GilModel model(ModelContext::with_cores(2));
  std::atomic<int> finished{0};
  EXPECT_THROW(model.run_tasks(3,
                               [&](std::size_t index) {
                                 if (index == 1) throw std::runtime_error("task 1");
                                 finished.fetch_add(1);
                               }),
               std::runtime_error);
  EXPECT_EQ(finished.load(), 2);  // the others still got the lock after task 1 died
}

/// blocking_call (interpreted.hpp) drops the lock through the model's hooks and takes it back even when the
/// call throws: the task holds it again afterwards (its hold time grows), and its end drops it once.
TEST(GilModel, ABlockingCallThatThrowsGivesTheLockBack) {
  GilModel model(ModelContext::with_cores(1));
  model.run_tasks(1, [](std::size_t) {
    EXPECT_THROW(blocking_call<GilModel>([] { throw std::runtime_error("the call failed"); }), std::runtime_error);
    const auto held = GilModel::held_by_this_thread();
    std::this_thread::sleep_for(1ms);  // asleep, not in a blocking call: the lock stays held
    EXPECT_GE(GilModel::held_by_this_thread(), held + 1ms);
  });
  EXPECT_EQ(GilModel::process_metrics().at("voluntary_drops"), "1");
}

TEST(GilModel, TheChannelReleasesTheLockWhileItWaits) {
  GilModel model(ModelContext::with_cores(2));
  GilModel::Channel<int> channel(1);
  std::int64_t sum = 0;
  model.run_tasks(2, [&](std::size_t index) {
    if (index == 0) {
      for (int i = 1; i <= 1000; ++i) channel.send(i);
      channel.close();
    } else {
      while (auto item = channel.receive()) sum += *item;
    }
  });
  EXPECT_EQ(sum, 1000 * 1001 / 2);
}

TEST(GilLegacyModel, ReleasesEveryCheckIntervalOfPython2Ticks) {
  // 100 of Python 2's ticks (it releases when its countdown from 100 falls below zero: every 101st), each
  // worth kTicksPerLegacyTick of ours: a lone task of 30 check intervals' worth of ticks releases (and
  // re-takes) the lock 30 times, and the row says after how many ticks.
  GilLegacyModel model(ModelContext::with_cores(1));
  const int period = 101 * gil::kTicksPerLegacyTick;
  model.run_tasks(1, [&](std::size_t) {
    for (int i = 0; i < 30 * period; ++i) GilLegacyModel::checkpoint();
  });
  const auto metrics = GilLegacyModel::process_metrics();
  EXPECT_EQ(metrics.at("forced_drops"), "30");
  EXPECT_EQ(metrics.at("check_period_ticks"), std::to_string(period));
  EXPECT_GT(gil::kTicksPerLegacyTick, 1);
}

TEST(GilModel, SettingsComeFromTheModelContext) {
  const auto settings = gil::Settings::from(
      {.cores = 1, .params = Params::parse("gil_interval_us=250;items=5"), .calibration = {.tick_ns = 3.5}});
  EXPECT_EQ(settings.interval, 250us);
  EXPECT_EQ(settings.check_interval, 100);
  EXPECT_DOUBLE_EQ(settings.tick_ns, 3.5);
  const auto defaults = gil::Settings::from(ModelContext::with_cores(1));
  EXPECT_EQ(defaults.interval, 5000us);
  EXPECT_DOUBLE_EQ(defaults.tick_ns, Calibration::kDefaultTickNs);
  EXPECT_EQ(gil::Settings::from({.cores = 1, .params = Params::parse("gil_check_interval=7")}).check_interval, 7);
}

/// No process-wide settings: each model runs with what its own context said, whatever was built before it.
TEST(GilLegacyModel, EachModelRunsWithItsOwnContext) {
  for (const auto& [check_interval, tick_ns] : {std::pair{7, 3.5}, std::pair{100, 2.0}, std::pair{7, 1.25}}) {
    const GilLegacyModel model(
        ModelContext{.cores = 1,
                     .params = Params::parse(fmt::format("gil_check_interval={}", check_interval)),
                     .calibration = {.tick_ns = tick_ns}});
    const auto metrics = GilLegacyModel::process_metrics();
    EXPECT_EQ(metrics.at("check_period_ticks"), std::to_string((check_interval + 1) * gil::kTicksPerLegacyTick));
    EXPECT_EQ(metrics.at("tick_ns"), fmt::format("{:.4g}", tick_ns));
    EXPECT_DOUBLE_EQ(GilLegacyModel::tick_ns(), tick_ns);
    EXPECT_EQ(model_tick_ns("gil-legacy"), tick_ns) << "the registry reads the model alive";
  }
  EXPECT_TRUE(GilLegacyModel::process_metrics().empty()) << "no model alive";
  EXPECT_THROW(GilLegacyModel::tick_ns(), std::logic_error);
}

}  // namespace
}  // namespace concbench

namespace concbench {
namespace {

TEST(GilTaxonomy, AGlobalLockIsNeverParallelWhateverTheCores) {
  EXPECT_EQ(taxonomy(GilModel::info, 2, 8, 8), "serial-concurrent");
  EXPECT_EQ(taxonomy(GilLegacyModel::info, 4, 8, 8), "serial-concurrent");
  EXPECT_EQ(taxonomy(ThreadModel::info, 2, 8, 8), "parallel-concurrent");
}

}  // namespace
}  // namespace concbench
