// The oneTBB model (harness/models/tbb.hpp): its arena, and what its blocking waits really do.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model_test_support.hpp"
#include "models/tbb_channel.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::test_cores;

TEST(TbbModel, TheCallingThreadIsOneOfTheArenasNThreads) {
  const int cores = test_cores();
  TbbModel model(cores);
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
  TbbModel model(cores);
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
  // N + 1 tasks, each waiting until all have started (or its patience ends): block_for sleeps the thread,
  // so the last task only starts once one of the first N gives up. At most N tasks ever wait at once
  // (a fiber model would have all N + 1 waiting together).
  const int cores = test_cores();
  TbbModel model(cores);
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
    const auto deadline = std::chrono::steady_clock::now() + 500ms;
    while (started.load() < tasks && std::chrono::steady_clock::now() < deadline) TbbModel::block_for(5ms);
    inside.fetch_sub(1);
  });
  // At most N: the waits held their threads. (Exactly N whenever every worker joined the arena within the
  // patience, which a loaded 2-vCPU machine does not promise.)
  EXPECT_LE(peak.load(), cores);
  EXPECT_GE(peak.load(), 2) << "the waits of different threads did overlap";
}

TEST(TbbChannel, CloseOnAFullQueueWaitsForASlotThenEndsEveryReceiver) {
  if (test_cores() < 3) GTEST_SKIP() << "needs 3 arena threads (one sender, two receivers)";
  TbbModel model(test_cores());
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
