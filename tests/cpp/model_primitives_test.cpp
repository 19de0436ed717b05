// The primitives every stackful model offers (model.hpp), one typed suite over the models: mutex, bounded
// channel, join, yield, exceptions at the join, and blocking waits that let other tasks progress.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/models/channels.hpp"
#include "tests/cpp/model_test_support.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using testing::ModelName;
using testing::test_cores;

#if CONCBENCH_TEST_FIBERS
using Models = ::testing::Types<SequentialModel, ThreadModel, FiberModel, FiberWsModel, TbbModel>;
#else
using Models = ::testing::Types<SequentialModel, ThreadModel, TbbModel>;
#endif

template <class M>
class ModelPrimitives : public ::testing::Test {
 protected:
  /// Tasks that can all be in progress at once on every model: tbb's blocking waits hold their thread, so
  /// a test whose tasks wait for each other uses no more tasks than the arena has threads (at least 2: the
  /// N = 1 run covers fiber-ws only, whose waits hold no thread).
  static std::size_t all_at_once() { return static_cast<std::size_t>(std::max(2, test_cores())); }
  /// A bound on every wait for another task, so a broken model fails the test instead of hanging it.
  static constexpr auto kPatience = 10s;

  /// Spins (yielding) until `count` tasks have arrived: after it, they are all in progress together.
  static void arrive_and_wait(std::atomic<std::size_t>& arrived, std::size_t count) {
    arrived.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (arrived.load() < count && std::chrono::steady_clock::now() < deadline) M::yield();
  }

  M model_{ModelContext::with_cores(test_cores())};
};
TYPED_TEST_SUITE(ModelPrimitives, Models, ModelName);

TYPED_TEST(ModelPrimitives, MutexGivesExactCountsUnderContention) {
  using M = TypeParam;
  constexpr long kIncrements = 3000;
  const auto tasks = this->all_at_once();
  typename M::Mutex mutex;
  long counter = 0;  // guarded by `mutex` only: a broken lock loses updates (and TSan sees the race)
  std::atomic<long> contended{0};
  std::atomic<std::size_t> arrived{0};
  this->model_.run_tasks(tasks, [&](std::size_t) {
    if (M::info.concurrent) this->arrive_and_wait(arrived, tasks);  // start together: real contention
    for (long k = 0; k < kIncrements; ++k) {
      if (!mutex.try_lock()) {
        contended.fetch_add(1, std::memory_order_relaxed);
        mutex.lock();
      }
      std::lock_guard lock(mutex, std::adopt_lock);
      const long seen = counter;
      if (k % 16 == 0) M::yield();  // let another task run while the lock is held
      counter = seen + 1;
    }
  });
  EXPECT_EQ(counter, static_cast<long>(tasks) * kIncrements);
  if (M::info.concurrent) {
    EXPECT_GT(contended.load(), 0) << "the tasks never met at the lock";
  }
}

TYPED_TEST(ModelPrimitives, ChannelDeliversInOrderFromOneSender) {
  using M = TypeParam;
  constexpr int kItems = 2000;
  // sequential runs the sender to its end before the receiver starts: the channel must hold every item.
  typename M::template Channel<int> channel(M::info.concurrent ? 4 : kItems);
  std::vector<int> received;
  this->model_.run_tasks(2, [&](std::size_t task) {
    if (task == 0) {
      for (int item = 0; item < kItems; ++item) channel.send(item);
      channel.close();
    } else {
      while (auto item = channel.receive()) received.push_back(*item);
    }
  });
  std::vector<int> expected(kItems);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(received, expected);
}

TYPED_TEST(ModelPrimitives, ChannelDeliversEveryItemExactlyOnceWithSeveralSendersAndReceivers) {
  using M = TypeParam;
  constexpr int kPerSender = 1500;
  // Two senders and two receivers (tbb: within the arena's threads, TRAPS.md); with N = 1 (fiber-ws run
  // alone) one of each.
  const std::size_t senders = test_cores() >= 4 ? 2 : 1;
  const std::size_t receivers = senders;
  const std::size_t total = senders * kPerSender;
  typename M::template Channel<int> channel(M::info.concurrent ? 8 : total);
  std::atomic<std::size_t> senders_left{senders};
  std::vector<std::vector<int>> got(receivers);
  this->model_.run_tasks(senders + receivers, [&](std::size_t task) {
    if (task < senders) {
      for (int k = 0; k < kPerSender; ++k) channel.send(static_cast<int>(task) * 1'000'000 + k);
      if (senders_left.fetch_sub(1) == 1) channel.close();  // the last sender closes
    } else {
      auto& mine = got[task - senders];
      while (auto item = channel.receive()) mine.push_back(*item);
    }
  });
  std::vector<int> all;
  for (const auto& mine : got) {
    // FIFO: each receiver sees any one sender's items in the order they were sent.
    for (std::size_t sender = 0; sender < senders; ++sender) {
      std::vector<int> from_sender;
      std::copy_if(mine.begin(), mine.end(), std::back_inserter(from_sender),
                   [&](int item) { return item / 1'000'000 == static_cast<int>(sender); });
      EXPECT_TRUE(std::is_sorted(from_sender.begin(), from_sender.end())) << "sender " << sender;
    }
    all.insert(all.end(), mine.begin(), mine.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int> expected;
  for (std::size_t sender = 0; sender < senders; ++sender) {
    for (int k = 0; k < kPerSender; ++k) expected.push_back(static_cast<int>(sender) * 1'000'000 + k);
  }
  EXPECT_EQ(all, expected) << "every item exactly once";
}

TYPED_TEST(ModelPrimitives, CloseWakesEveryBlockedReceiver) {
  using M = TypeParam;
  if (!M::info.concurrent) GTEST_SKIP() << "sequential: a receive that would wait throws (SequentialChannel tests)";
  typename M::template Channel<int> channel(2);
  std::atomic<int> ended{0};
  this->model_.run_tasks(3, [&](std::size_t task) {
    if (task == 2) {
      M::block_for(20ms);  // most likely after both receivers started waiting
      channel.close();
    } else {
      EXPECT_EQ(channel.receive(), std::nullopt);
      ended.fetch_add(1);
    }
  });
  EXPECT_EQ(ended.load(), 2);
}

TYPED_TEST(ModelPrimitives, ChannelCarriesMoveOnlyItemsAndRejectsMisuse) {
  using M = TypeParam;
  EXPECT_THROW(typename M::template Channel<int>(0), std::invalid_argument);
  this->model_.run_tasks(1, [](std::size_t) {
    typename M::template Channel<std::unique_ptr<int>> channel(2);
    channel.send(std::make_unique<int>(7));
    channel.close();
    auto item = channel.receive();
    ASSERT_TRUE(item.has_value());
    EXPECT_EQ(**item, 7) << "items sent before close are still delivered";
    EXPECT_EQ(channel.receive(), std::nullopt);
    EXPECT_EQ(channel.receive(), std::nullopt) << "and it stays closed";
    EXPECT_THROW(channel.send(std::make_unique<int>(8)), std::logic_error);
  });
}

TYPED_TEST(ModelPrimitives, JoinWaitsForEveryTask) {
  using M = TypeParam;
  constexpr std::size_t kTasks = 16;
  std::vector<char> done(kTasks, 0);  // one byte per task: distinct memory locations, no race
  const auto use = this->model_.run_tasks(kTasks, [&](std::size_t task) {
    M::block_for(std::chrono::milliseconds(1 + task % 5));
    M::yield();
    done[task] = 1;
  });
  EXPECT_THAT(done, ::testing::Each(1));
  EXPECT_GE(use.workers, 1);
  EXPECT_LE(use.workers, std::max<int>(test_cores(), static_cast<int>(kTasks)));
}

TYPED_TEST(ModelPrimitives, YieldLetsAnotherTaskRun) {
  using M = TypeParam;
  if (!M::info.concurrent) GTEST_SKIP() << "sequential: a task runs to its end; yield does nothing";
  // Task 0 can only end once task 1 has run; with one thread (fiber) only its yields let task 1 in.
  std::atomic<bool> flag{false};
  std::atomic<bool> saw_flag{false};
  this->model_.run_tasks(2, [&](std::size_t task) {
    if (task == 1) {
      flag.store(true);
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + this->kPatience;
    while (!flag.load() && std::chrono::steady_clock::now() < deadline) M::yield();
    saw_flag.store(flag.load());
  });
  EXPECT_TRUE(saw_flag.load());
}

TYPED_TEST(ModelPrimitives, ExceptionIsRethrownAtTheJoinAfterEveryTaskEnded) {
  using M = TypeParam;
  constexpr std::size_t kTasks = 8;
  std::atomic<std::size_t> ran{0};
  std::atomic<std::size_t> ended{0};
  try {
    this->model_.run_tasks(kTasks, [&](std::size_t task) {
      ran.fetch_add(1);
      if (task == 0) throw std::runtime_error("task 0 failed on purpose");
      if (task % 3 == 1) M::block_for(20ms);  // still running when task 0 fails
      if (task == 5) throw std::logic_error("a later failure is not the one rethrown on sequential");
      ended.fetch_add(1);
    });
    ADD_FAILURE() << "no exception at the join";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "task 0 failed on purpose");
  } catch (const std::logic_error&) {
    // Models that run tasks concurrently rethrow whichever failure came first.
    EXPECT_TRUE(M::info.concurrent);
  }
  EXPECT_EQ(ran.load(), kTasks) << "one task's failure must not skip the others";
  EXPECT_EQ(ended.load(), kTasks - 2) << "rethrown before every task ended";
}

TYPED_TEST(ModelPrimitives, BlockingWaitLetsOtherTasksProgress) {
  using M = TypeParam;
  if (!M::info.concurrent) GTEST_SKIP() << "sequential: one task at a time by definition";
  // Every task waits (in block_for) until all of them have started. If a wait blocked the others (e.g. a
  // fiber that put its thread to sleep), the later tasks could not start and the patience would run out.
  const auto tasks = this->all_at_once();
  std::atomic<std::size_t> started{0};
  std::atomic<std::size_t> saw_all{0};
  std::atomic<int> waits{0};
  this->model_.run_tasks(tasks, [&](std::size_t) {
    started.fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + this->kPatience;
    while (started.load() < tasks && std::chrono::steady_clock::now() < deadline) {
      M::block_for(1ms);
      waits.fetch_add(1);
    }
    if (started.load() == tasks) saw_all.fetch_add(1);
  });
  EXPECT_EQ(saw_all.load(), tasks) << "tasks that were all in progress at once, the earlier ones waiting";
  EXPECT_GT(waits.load(), 0);
}

// sequential: a channel or mutex operation that would have to wait for another task fails loudly.
TEST(SequentialChannel, SendToAFullChannelThrowsInsteadOfHanging) {
  SequentialModel::Channel<int> channel(2);
  channel.send(1);
  channel.send(2);
  EXPECT_THROW(channel.send(3), DeadlockError);
  EXPECT_EQ(channel.receive(), 1) << "the failed send changed nothing";
  EXPECT_EQ(channel.receive(), 2);
}

TEST(SequentialChannel, ReceiveFromAnEmptyOpenChannelThrowsButAClosedOneEnds) {
  SequentialModel::Channel<int> channel(1);
  EXPECT_THROW(channel.receive(), DeadlockError);
  channel.close();
  EXPECT_EQ(channel.receive(), std::nullopt);
}

TEST(SequentialChannel, ADeadlockInATaskReachesTheJoin) {
  SequentialModel model(ModelContext::with_cores(1));
  SequentialModel::Channel<int> channel(1);
  EXPECT_THROW(model.run_tasks(2,
                               [&](std::size_t task) {
                                 if (task == 0) {
                                   channel.send(1);
                                   channel.send(2);  // the receiver (task 1) cannot run before this task ends
                                 }
                               }),
               DeadlockError);
}

TEST(SequentialMutex, LockingAHeldMutexThrows) {
  SequentialModel::Mutex mutex;
  mutex.lock();
  EXPECT_FALSE(mutex.try_lock());
  EXPECT_THROW(mutex.lock(), DeadlockError);
  mutex.unlock();
  EXPECT_TRUE(mutex.try_lock());
  mutex.unlock();
}

}  // namespace
}  // namespace concbench
