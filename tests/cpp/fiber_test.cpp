// The Boost.Fiber models (harness/models/fiber*.hpp): what the typed suite cannot say about them.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/model_test_support.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::test_cores;

#if CONCBENCH_TEST_FIBERS

/// Each of `tasks` tasks waits (in block_for) until all have started; returns how many saw all started.
template <class M>
std::size_t all_waiting_at_once(M& model, std::size_t tasks) {
  std::atomic<std::size_t> started{0};
  std::atomic<std::size_t> saw_all{0};
  model.run_tasks(tasks, [&](std::size_t) {
    started.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (started.load() < tasks && std::chrono::steady_clock::now() < deadline) M::block_for(10ms);
    if (started.load() == tasks) saw_all.fetch_add(1);
  });
  return saw_all.load();
}

TEST(FiberModel, RunsEveryTaskOnTheCallingThread) {
  FiberModel model(ModelContext::with_cores(1));
  const auto caller = std::this_thread::get_id();
  std::atomic<int> elsewhere{0};
  const auto use = model.run_tasks(50, [&](std::size_t) {
    FiberModel::yield();
    if (std::this_thread::get_id() != caller) elsewhere.fetch_add(1);
  });
  EXPECT_EQ(elsewhere.load(), 0);
  EXPECT_EQ(use.workers, 1);
  EXPECT_EQ(use.mapping, "fiber-per-task");
}

TEST(FiberModel, YieldHandsTheThreadToTheNextFiberInTurn) {
  FiberModel model(ModelContext::with_cores(1));
  std::string order;  // one thread: no lock needed
  model.run_tasks(3, [&](std::size_t task) {
    for (int round = 0; round < 3; ++round) {
      order += static_cast<char>('a' + task);
      FiberModel::yield();
    }
  });
  EXPECT_EQ(order, "abcabcabc");
}

TEST(FiberModel, AThousandBlockingWaitsOverlapOnOneThread) {
  FiberModel model(ModelContext::with_cores(1));
  EXPECT_EQ(all_waiting_at_once(model, 1000), 1000u);
}

TEST(FiberWsModel, PoolsOfSeveralSizesLiveInOneProcess) {
  // Boost 1.74's work_stealing allowed one N per process (static tables); the model's own scheduler does not.
  FiberWsModel model(ModelContext::with_cores(test_cores()));
  EXPECT_EQ(model.threads(), test_cores());
  FiberWsModel other(ModelContext::with_cores(test_cores() + 1));
  EXPECT_EQ(other.threads(), test_cores() + 1);
  std::atomic<int> ran{0};
  for (auto* each : {&model, &other}) each->run_tasks(8, [&](std::size_t) { ran.fetch_add(1); });
  EXPECT_EQ(ran.load(), 16);
  EXPECT_THROW(FiberWsModel(ModelContext::with_cores(0)), std::invalid_argument);
}

TEST(FiberWsModel, AThousandBlockingWaitsOverlap) {
  FiberWsModel model(ModelContext::with_cores(test_cores()));
  EXPECT_EQ(all_waiting_at_once(model, 1000), 1000u);
}

TEST(FiberWsModel, RunsTasksOnThePoolNotOnTheCaller) {
  FiberWsModel model(ModelContext::with_cores(test_cores()));
  const auto caller = std::this_thread::get_id();
  std::atomic<int> on_caller{0};
  model.run_tasks(64, [&](std::size_t) {
    if (std::this_thread::get_id() == caller) on_caller.fetch_add(1);
  });
  EXPECT_EQ(on_caller.load(), 0);
}

TEST(FiberWsModel, IdleThreadsStealCpuBoundFibers) {
  // Work is launched on one pool thread; the others sleep (suspend = true) until woken to steal it. Every task
  // spins without yielding (CPU-bound: its thread runs nothing else) until tasks have run on two threads, so
  // the launching thread is held by its first task and the others can only run if another thread steals them.
  // Proved by the set of threads, not a clock; the deadline only turns a broken steal into a failure.
  if (test_cores() < 2) GTEST_SKIP() << "one thread: nothing to steal";
  FiberWsModel model(ModelContext::with_cores(test_cores()));
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::atomic<std::size_t> thread_count{0};
  const auto deadline = std::chrono::steady_clock::now() + 20s;  // one for all: a broken steal fails in 20 s
  const auto use = model.run_tasks(16, [&](std::size_t) {
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
      thread_count = threads.size();
    }
    while (thread_count.load() < 2 && std::chrono::steady_clock::now() < deadline) {
    }
  });
  EXPECT_GE(threads.size(), 2u) << "no task ran beside the spinning one";
  EXPECT_GE(use.workers, 2);
  EXPECT_LE(use.workers, test_cores());
  EXPECT_EQ(use.mapping, "fiber-per-task");
}

TEST(FiberWsModel, AnIdleThreadStealsABlockedSpawner) {
  // A task's nested fork-join of two: child 0 starts at once (launch::dispatch) and blocks its OS thread
  // until child 1 has run. The spawner, which launches child 1, waits on that blocked thread: only another
  // pool thread stealing it can run child 1. Proved by a flag, not a clock: the deadline only turns a broken
  // steal into a failure instead of a hang.
  if (test_cores() < 2) GTEST_SKIP() << "one thread: nothing to steal";
  FiberWsModel model(ModelContext::with_cores(test_cores()));
  std::atomic<bool> second_ran{false};
  bool first_saw_second = false;
  std::thread::id first_thread;
  std::thread::id second_thread;
  model.run_tasks(1, [&](std::size_t) {
    model.run_tasks(2, [&](std::size_t index) {
      if (index == 0) {
        first_thread = std::this_thread::get_id();
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (!second_ran.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
        first_saw_second = second_ran.load();
      } else {
        second_thread = std::this_thread::get_id();
        second_ran.store(true);
      }
    });
  });
  EXPECT_TRUE(first_saw_second) << "the spawner was never stolen from the blocked thread";
  EXPECT_NE(first_thread, second_thread);
}

/// Runs a tree of nested run_tasks `depth` levels deep with `fan_out` children per node (skynet's shape);
/// returns the leaves reached.
template <class M>
std::size_t spawn_tree(M& model, int depth, std::size_t fan_out) {
  if (depth == 0) return 1;
  std::vector<std::size_t> leaves(fan_out);
  model.run_tasks(fan_out, [&](std::size_t child) { leaves[child] = spawn_tree(model, depth - 1, fan_out); });
  std::size_t sum = 0;
  for (auto each : leaves) sum += each;
  return sum;
}

template <class M>
void expect_a_tree_keeps_only_its_depth_alive(M model, int threads) {
  // Depth first, and ended fibers freed every few dozen: the stacks out at once stay near the tree's depth
  // (plus the ended fibers not yet freed) per thread; breadth first, or ended fibers never freed, they are the
  // whole tree's 10^4.
  constexpr int kDepth = 4;
  constexpr std::size_t kFanOut = 10;
  FiberModel::measure_stack_use(true);
  std::size_t leaves = 0;
  model.run_tasks(1, [&](std::size_t) { leaves = spawn_tree(model, kDepth, kFanOut); });
  FiberModel::measure_stack_use(false);
  ::testing::Test::RecordProperty("most_stacks_in_use", static_cast<int>(FiberModel::most_stacks_in_use()));
  EXPECT_EQ(leaves, 10000u);
  EXPECT_LE(FiberModel::most_stacks_in_use(), static_cast<std::size_t>(threads) * ((kDepth + 1) * kFanOut + 64))
      << "fiber stacks out at once";
}

TEST(FiberModel, ATreeOfSpawnsKeepsOnlyItsDepthAlive) {
  expect_a_tree_keeps_only_its_depth_alive(FiberModel(ModelContext::with_cores(1)), 1);
}

TEST(FiberWsModel, ATreeOfSpawnsKeepsOnlyItsDepthAlive) {
  expect_a_tree_keeps_only_its_depth_alive(FiberWsModel(ModelContext::with_cores(test_cores())), test_cores());
}

/// CPU time (user + system) this process has used so far.
std::chrono::microseconds process_cpu_time() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto to_us = [](const timeval& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
  };
  return to_us(usage.ru_utime) + to_us(usage.ru_stime);
}

TEST(FiberWsModel, AnIdlePoolSleepsInsteadOfSpinning) {
  // suspend = true: between runs the pool's threads sleep. (A pinned fiber left in a queue once made the
  // idle threads poll it without end: a core burnt per idle thread.)
  FiberWsModel model(ModelContext::with_cores(test_cores()));
  model.run_tasks(16, [](std::size_t task) {
    FiberWsModel::yield();
    FiberWsModel::block_for(std::chrono::milliseconds(task % 3));
  });
  const auto before = process_cpu_time();
  std::this_thread::sleep_for(300ms);
  EXPECT_LT(process_cpu_time() - before, 60ms) << "CPU used by an idle pool of " << test_cores() << " threads";
}

TEST(FiberWsModel, OneThreadTakesTurnsAtEachYield) {
  // N = 1: the same scheduler as `fiber`, alone on the pool's thread (nothing to steal).
  FiberWsModel model(ModelContext::with_cores(1));
  std::string order;
  const auto use = model.run_tasks(2, [&](std::size_t task) {
    for (int round = 0; round < 3; ++round) {
      order += static_cast<char>('a' + task);
      FiberWsModel::yield();
    }
  });
  EXPECT_EQ(order, "ababab");
  EXPECT_EQ(use.workers, 1);
  EXPECT_EQ(use.mapping, "fiber-per-task");
}

TEST(FiberMutex, IsSharedByFibersOnSeveralThreads) {
  // fiber-ws fibers migrate between threads; the Boost.Fiber mutex still excludes them.
  FiberWsModel model(ModelContext::with_cores(test_cores()));
  FiberMutex mutex;
  long counter = 0;
  model.run_tasks(32, [&](std::size_t) {
    for (int k = 0; k < 2000; ++k) {
      std::lock_guard lock(mutex);
      ++counter;
      if (k % 64 == 0) FiberWsModel::yield();
    }
  });
  EXPECT_EQ(counter, 32 * 2000);
}

#else

TEST(FiberModels, NotRunUnderThreadSanitizer) { GTEST_SKIP() << "see model_test_support.hpp"; }

#endif

}  // namespace
}  // namespace concbench
