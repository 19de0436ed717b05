// The oneTBB model (harness/models/tbb.hpp): its arena, and what its blocking waits really do.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/models/tbb_channel.hpp"
#include "tests/cpp/model_test_support.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::test_cores;

TEST(TbbModel, TheCallingThreadIsOneOfTheArenasNThreads) {
  const int cores = test_cores();
  TbbModel model(ModelContext::with_cores(cores));
  const auto caller = std::this_thread::get_id();
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::atomic<int> arrived{0};
  const auto use = model.run_tasks(static_cast<std::size_t>(cores), [&](std::size_t) {
    {
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    }
    // Hold every thread until all N tasks started: N tasks, N threads.
    arrived.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (arrived.load() < cores && std::chrono::steady_clock::now() < deadline) TbbModel::yield();
  });
  EXPECT_EQ(threads.size(), static_cast<std::size_t>(cores));
  EXPECT_EQ(threads.count(caller), 1u);
  EXPECT_EQ(use.workers, cores);
  EXPECT_EQ(use.mapping, "tbb-task-per-task");
}

TEST(TbbModel, NeverRunsMoreThanNTasksAtOnce) {
  const int cores = test_cores();
  TbbModel model(ModelContext::with_cores(cores));
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  model.run_tasks(static_cast<std::size_t>(cores) * 4, [&](std::size_t) {
    const int now = running.fetch_add(1) + 1;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    TbbModel::block_for(5ms);
    running.fetch_sub(1);
  });
  EXPECT_LE(peak.load(), cores);
}

TEST(TbbModel, ABlockingWaitHoldsItsWorkerThread) {
  // N + 1 tasks on N threads: block_for sleeps the thread, so at most N tasks are ever inside at once.
  const int cores = test_cores();
  TbbModel model(ModelContext::with_cores(cores));
  const auto tasks = static_cast<std::size_t>(cores) + 1;
  std::atomic<std::size_t> started{0};
  std::atomic<int> inside{0};
  std::atomic<int> peak{0};
  model.run_tasks(tasks, [&](std::size_t) {
    started.fetch_add(1);
    const int now = inside.fetch_add(1) + 1;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    // Each of the first N waits (in block_for, its thread asleep) until all N have started: a latch, not a
    // clock. The N + 1-th can only start once one of them has left, so it never waits.
    while (started.load() < static_cast<std::size_t>(cores)) TbbModel::block_for(1ms);
    inside.fetch_sub(1);
  });
  // Exactly N at once: the waits held their threads (a fiber model would have had all N + 1 waiting), and
  // the N waits overlapped, since each waited for the others to start.
  EXPECT_EQ(peak.load(), cores);
  EXPECT_EQ(started.load(), tasks);
}

TEST(TbbChannel, CloseOnAFullQueueWaitsForASlotThenEndsEveryReceiver) {
  if (test_cores() < 3) GTEST_SKIP() << "needs 3 arena threads (one sender, two receivers)";
  TbbModel model(ModelContext::with_cores(test_cores()));
  TbbChannel<int> channel(1);
  std::atomic<int> ends{0};
  std::atomic<int> items{0};
  model.run_tasks(3, [&](std::size_t task) {
    if (task == 0) {
      channel.send(42);
      channel.close();  // the queue is full: the end marker waits for the item to be taken
      return;
    }
    while (auto item = channel.receive()) {
      EXPECT_EQ(*item, 42);
      items.fetch_add(1);
    }
    ends.fetch_add(1);
  });
  EXPECT_EQ(items.load(), 1);
  EXPECT_EQ(ends.load(), 2) << "the end marker reached both receivers";
}

}  // namespace
}  // namespace concbench
