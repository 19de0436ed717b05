// The coroutine models (harness/models/coroutine*.hpp, harness/models/coro/): the same behaviour checks for
// every model of the registry's `CoroutineModels` (typed tests), then what is particular to each.
// These tests start the pool's threads: they live in unit_tests, which never forks (TRAPS.md).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/models/coroutine.hpp"
#include "harness/models/coroutine_model.hpp"
#include "harness/models/coroutine_pool.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;
using coro::Task;

template <class M>
class CoroutineModelTest : public ::testing::Test {
 protected:
  /// More workers than this machine's 2 CPUs on the pool: the OS interleaves them anywhere.
  static constexpr int kCores = 3;
};

/// Every model of the registry's `CoroutineModels`, as gtest's type list.
template <class List>
struct AsTestTypes;
template <class... Ms>
struct AsTestTypes<ModelList<Ms...>> {
  using type = ::testing::Types<Ms...>;
};
using Models = AsTestTypes<CoroutineModels>::type;
class ModelNames {
 public:
  template <class M>
  static std::string GetName(int) {
    std::string name(M::info.id);
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
  }
};
TYPED_TEST_SUITE(CoroutineModelTest, Models, ModelNames);

TYPED_TEST(CoroutineModelTest, RunTasksRunsEveryIndexOnceAndReportsItsWorkers) {
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  for (std::size_t tasks : {std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
    std::vector<std::atomic<int>> runs(tasks);
    const auto use = model.run_tasks(tasks, [&](std::size_t index) -> Task<void> {
      runs[index].fetch_add(1, std::memory_order_relaxed);
      co_return;
    });
    EXPECT_EQ(use.workers, M::info.single_core ? 1 : this->kCores);
    for (std::size_t i = 0; i < tasks; ++i) EXPECT_EQ(runs[i].load(), 1) << "index " << i << " of " << tasks;
  }
}

TYPED_TEST(CoroutineModelTest, MutexGivesExactCountsUnderContention) {
  using M = TypeParam;
  constexpr std::size_t kTasks = 8;
  constexpr int kIncrements = 2000;
  M model(ModelContext::with_cores(this->kCores));
  typename M::Mutex mutex;
  std::int64_t count = 0;      // guarded by `mutex`: a plain int, so lost updates would show
  std::atomic<int> inside{0};  // tasks in the critical section at once
  std::atomic<int> most_inside{0};
  model.run_tasks(kTasks, [&](std::size_t) -> Task<void> {
    for (int i = 0; i < kIncrements; ++i) {
      auto lock = co_await mutex.lock();
      const int now_inside = inside.fetch_add(1) + 1;
      if (now_inside > most_inside.load()) most_inside.store(now_inside);
      const auto seen = count;
      if (i % 16 == 0) co_await M::yield();  // hold the lock across a switch: the others must queue on it
      count = seen + 1;
      inside.fetch_sub(1);
    }
  });
  EXPECT_EQ(count, static_cast<std::int64_t>(kTasks) * kIncrements);
  EXPECT_EQ(most_inside.load(), 1);
  EXPECT_TRUE(mutex.try_lock()) << "unlocked after the last ScopedLock";
  mutex.unlock();
}

TYPED_TEST(CoroutineModelTest, MutexTryLockFailsWhileHeld) {
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  typename M::Mutex mutex;
  std::optional<bool> second_try;
  model.run_tasks(1, [&](std::size_t) -> Task<void> {
    auto lock = co_await mutex.lock();
    second_try = mutex.try_lock();
  });
  EXPECT_EQ(second_try, false);
}

TYPED_TEST(CoroutineModelTest, ChannelDeliversEveryItemOnceWithSeveralSendersAndReceivers) {
  using M = TypeParam;
  constexpr std::size_t kSenders = 4;
  constexpr std::size_t kReceivers = 3;
  constexpr int kItemsPerSender = 500;
  M model(ModelContext::with_cores(this->kCores));
  typename M::template Channel<int> channel(2);  // small: senders and receivers both wait often
  std::vector<std::vector<int>> received(kReceivers);
  model.run_tasks(1 + kReceivers, [&](std::size_t index) -> Task<void> {
    if (index == 0) {  // the senders, then close once every send has returned
      co_await M::fork_join(kSenders, [&](std::size_t sender) -> Task<void> {
        for (int i = 0; i < kItemsPerSender; ++i) co_await channel.send(static_cast<int>(sender) * 100000 + i);
      });
      channel.close();
    } else {
      while (auto item = co_await channel.receive()) received[index - 1].push_back(*item);
    }
  });
  std::map<int, int> times;
  for (const auto& items : received) {
    for (int item : items) ++times[item];
  }
  EXPECT_EQ(times.size(), kSenders * kItemsPerSender);
  for (const auto& [item, count] : times) EXPECT_EQ(count, 1) << "item " << item;
  // Each receiver sees each sender's items in the order sent.
  for (const auto& items : received) {
    std::map<int, int> last;
    for (int item : items) {
      const int sender = item / 100000;
      if (last.contains(sender)) {
        EXPECT_LT(last[sender], item);
      }
      last[sender] = item;
    }
  }
}

TYPED_TEST(CoroutineModelTest, ChannelKeepsTheOrderOfOneSender) {
  using M = TypeParam;
  constexpr int kItems = 2000;
  M model(ModelContext::with_cores(this->kCores));
  typename M::template Channel<int> channel(3);
  std::vector<int> received;
  model.run_tasks(2, [&](std::size_t index) -> Task<void> {
    if (index == 0) {
      for (int i = 0; i < kItems; ++i) co_await channel.send(i);
      channel.close();
    } else {
      while (auto item = co_await channel.receive()) received.push_back(*item);
    }
  });
  ASSERT_EQ(received.size(), static_cast<std::size_t>(kItems));
  for (int i = 0; i < kItems; ++i) EXPECT_EQ(received[static_cast<std::size_t>(i)], i);
}

TYPED_TEST(CoroutineModelTest, ChannelCloseWakesAWaitingReceiverWithNothing) {
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  typename M::template Channel<int> channel(4);
  std::optional<std::optional<int>> got;
  model.run_tasks(2, [&](std::size_t index) -> Task<void> {
    if (index == 0) {
      got = co_await channel.receive();  // waits on the empty channel (on the loop, surely: task 1 yields first)
    } else {
      for (int i = 0; i < 10; ++i) co_await M::yield();
      channel.close();
    }
  });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, std::nullopt);
}

TYPED_TEST(CoroutineModelTest, ChannelDeliversItemsSentBeforeCloseThenRefusesSends) {
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  typename M::template Channel<std::unique_ptr<int>> channel(4);  // move-only items
  std::vector<int> got;
  bool nothing_at_end = false;
  bool send_after_close_threw = false;
  model.run_tasks(1, [&](std::size_t) -> Task<void> {
    co_await channel.send(std::make_unique<int>(7));
    co_await channel.send(std::make_unique<int>(8));
    channel.close();
    try {
      co_await channel.send(std::make_unique<int>(9));
    } catch (const std::logic_error&) {
      send_after_close_threw = true;
    }
    std::optional<std::unique_ptr<int>> item;
    while ((item = co_await channel.receive())) got.push_back(**item);
    nothing_at_end = !item.has_value();
  });
  EXPECT_TRUE(send_after_close_threw);
  EXPECT_THAT(got, ::testing::ElementsAre(7, 8));
  EXPECT_TRUE(nothing_at_end);
  EXPECT_THROW(typename M::template Channel<int>(0), std::invalid_argument);
}

TYPED_TEST(CoroutineModelTest, WaitingSenderThrowsWhenTheChannelCloses) {
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  typename M::template Channel<int> channel(1);
  std::atomic<bool> second_send_waiting{false};
  bool threw = false;
  model.run_tasks(2, [&](std::size_t index) -> Task<void> {
    if (index == 0) {
      co_await channel.send(1);
      second_send_waiting = true;  // set just before: the channel is full, so the send below waits
      try {
        co_await channel.send(2);
      } catch (const std::logic_error&) {
        threw = true;
      }
    } else {
      while (!second_send_waiting) co_await M::yield();
      for (int i = 0; i < 10; ++i) co_await M::yield();
      channel.close();
    }
  });
  EXPECT_TRUE(threw);
}

TYPED_TEST(CoroutineModelTest, JoinWaitsForEveryTask) {
  using M = TypeParam;
  constexpr std::size_t kChildren = 6;
  M model(ModelContext::with_cores(this->kCores));
  std::vector<std::atomic<bool>> ended(kChildren);
  std::vector<bool> seen_at_join;
  model.run_tasks(1, [&](std::size_t) -> Task<void> {
    typename M::TaskGroup group;
    for (std::size_t child = 0; child < kChildren; ++child) {
      group.spawn([](std::size_t me, std::atomic<bool>& flag) -> Task<void> {  // parameters, not captures
        for (std::size_t i = 0; i < me; ++i) co_await M::yield();
        co_await M::block_for(std::chrono::milliseconds(me));
        flag = true;
      }(child, ended[child]));
    }
    co_await group.join();
    for (const auto& flag : ended) seen_at_join.push_back(flag.load());
  });
  EXPECT_THAT(seen_at_join, ::testing::Each(true));
  EXPECT_EQ(seen_at_join.size(), kChildren);
}

TYPED_TEST(CoroutineModelTest, AwaitedTaskGivesItsResult) {
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  int result = 0;
  model.run_tasks(1, [&](std::size_t) -> Task<void> {
    auto square = [](int x) -> Task<int> {
      co_await M::yield();
      co_return x* x;
    };
    result = co_await square(12);
  });
  EXPECT_EQ(result, 144);
}

TYPED_TEST(CoroutineModelTest, YieldLetsAnotherTaskRun) {
  using M = TypeParam;
  M model(ModelContext::with_cores(1));  // one worker: without the yield, task 1 could never run while task 0 spins
  std::atomic<bool> other_ran{false};
  bool saw_other = false;
  model.run_tasks(2, [&](std::size_t index) -> Task<void> {
    if (index == 0) {
      for (int i = 0; i < 1000000 && !other_ran; ++i) co_await M::yield();
      saw_other = other_ran;
    } else {
      other_ran = true;
    }
  });
  EXPECT_TRUE(saw_other);
}

TYPED_TEST(CoroutineModelTest, TaskExceptionIsRethrownAtTheJoinAfterEveryTaskEnded) {
  using M = TypeParam;
  constexpr std::size_t kTasks = 9;
  M model(ModelContext::with_cores(this->kCores));
  std::atomic<std::size_t> ended{0};
  try {
    model.run_tasks(kTasks, [&](std::size_t index) -> Task<void> {
      co_await M::yield();
      if (index == 3) throw std::runtime_error("task 3 failed on purpose");
      co_await M::block_for(index % 2 == 0 ? 5ms : 0ms);
      ended.fetch_add(1);
    });
    ADD_FAILURE() << "no exception at the join";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "task 3 failed on purpose");
    EXPECT_EQ(ended.load(), kTasks - 1) << "rethrown before every task ended";
  }
  // Inside a task: at the group's join, and at the co_await of an awaited task.
  std::string at_group_join;
  std::string at_await;
  model.run_tasks(1, [&](std::size_t) -> Task<void> {
    try {
      co_await M::fork_join(4, [](std::size_t index) -> Task<void> {
        co_await M::yield();
        if (index == 2) throw std::logic_error("child 2");
      });
    } catch (const std::logic_error& e) {
      at_group_join = e.what();
    }
    auto failing = []() -> Task<int> {
      co_await M::yield();
      throw std::out_of_range("awaited");
    };
    try {
      (void)co_await failing();
    } catch (const std::out_of_range& e) {
      at_await = e.what();
    }
  });
  EXPECT_EQ(at_group_join, "child 2");
  EXPECT_EQ(at_await, "awaited");
  // The model is still usable after a failed run.
  std::atomic<int> after{0};
  model.run_tasks(4, [&](std::size_t) -> Task<void> {
    after.fetch_add(1);
    co_return;
  });
  EXPECT_EQ(after.load(), 4);
}

TYPED_TEST(CoroutineModelTest, BlockingWaitLetsOtherTasksProgress) {
  using M = TypeParam;
  M model(ModelContext::with_cores(1));  // one worker: a wait that blocked it would stop task 1 altogether
  std::atomic<bool> a_waiting{false};
  std::atomic<int> b_progress{0};
  int before = -1;
  int after = -1;
  model.run_tasks(2, [&](std::size_t index) -> Task<void> {
    if (index == 0) {
      before = b_progress;
      a_waiting = true;
      co_await M::block_for(30ms);
      after = b_progress;
    } else {
      while (!a_waiting) co_await M::yield();
      for (int i = 0; i < 10; ++i) {
        b_progress.fetch_add(1);
        co_await M::yield();
      }
    }
  });
  EXPECT_EQ(before, 0);
  EXPECT_EQ(after, 10) << "task 1 ran to its end while task 0 was in its blocking wait";
}

TYPED_TEST(CoroutineModelTest, ABlockingWaitLastsAtLeastItsDuration) {
  // A lower bound only: a timer that fires early resumes the task before its deadline (scripts/mutate:
  // asio-timer-early); how late it may be is a measurement, not a test.
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  std::vector<std::chrono::steady_clock::duration> slept(4);
  model.run_tasks(slept.size(), [&](std::size_t index) -> Task<void> {
    const auto start = std::chrono::steady_clock::now();
    co_await M::block_for(std::chrono::milliseconds(5 * (index + 1)));
    slept[index] = std::chrono::steady_clock::now() - start;
  });
  for (std::size_t i = 0; i < slept.size(); ++i) {
    EXPECT_GE(slept[i], std::chrono::milliseconds(5 * (i + 1))) << "task " << i;
  }
}

TYPED_TEST(CoroutineModelTest, ManyBlockingWaitsOverlapOnOneWorker) {
  // Each task waits (in 1 ms blocking waits) until every task has started. On one worker that ends only if
  // a task in a blocking wait lets the others run: otherwise the first task would wait forever (capped).
  using M = TypeParam;
  constexpr std::size_t kTasks = 300;
  M model(ModelContext::with_cores(1));
  std::atomic<std::size_t> started{0};
  std::atomic<int> gave_up{0};
  model.run_tasks(kTasks, [&](std::size_t) -> Task<void> {
    started.fetch_add(1);
    int waits = 0;
    while (started.load() < kTasks) {
      if (++waits > 5000) {
        gave_up.fetch_add(1);
        co_return;
      }
      co_await M::block_for(1ms);
    }
  });
  EXPECT_EQ(started.load(), kTasks);
  EXPECT_EQ(gave_up.load(), 0);
}

TYPED_TEST(CoroutineModelTest, DeadlockIsReportedNotHung) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the deadlocked tasks' frames are leaked by design, which LeakSanitizer reports";
#else
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  typename M::template Channel<int> nobody_sends(1);
  try {
    model.run_tasks(2, [&](std::size_t) -> Task<void> { (void)co_await nobody_sends.receive(); });
    ADD_FAILURE() << "no deadlock reported";
  } catch (const DeadlockError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("every remaining task waits for another"));
  }
  nobody_sends.close();  // wakes the stuck receivers (the pool then finishes them) before the channel dies
#endif
}

TYPED_TEST(CoroutineModelTest, LongChainsOfSymmetricTransfersDoNotGrowTheStack) {
  // A million awaited tasks that finish at once: each is entered and left by symmetric transfer. Without
  // tail calls (GCC 12 at -O0) this overflows the stack.
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  std::int64_t sum = 0;
  model.run_tasks(1, [&](std::size_t) -> Task<void> {
    auto one = [](int i) -> Task<int> { co_return i % 7; };
    for (int i = 0; i < 1000000; ++i) sum += co_await one(i);
  });
  std::int64_t expected = 0;
  for (int i = 0; i < 1000000; ++i) expected += i % 7;
  EXPECT_EQ(sum, expected);
}

TYPED_TEST(CoroutineModelTest, ManySpawnedTasksAndNestedForkJoins) {
  // skynet-like: 3 levels of 30 children, each level spawning all its children before joining any.
  using M = TypeParam;
  M model(ModelContext::with_cores(this->kCores));
  std::atomic<std::int64_t> leaves{0};
  model.run_tasks(30, [&](std::size_t) -> Task<void> {
    co_await M::fork_join(30, [&](std::size_t) -> Task<void> {
      co_await M::fork_join(30, [&](std::size_t) -> Task<void> {
        leaves.fetch_add(1, std::memory_order_relaxed);
        co_return;
      });
    });
  });
  EXPECT_EQ(leaves.load(), 27000);
}

}  // namespace

// Outside the anonymous namespace: tree_node's frames hold a FrameToken, and GCC's -Wsubobject-linkage flags a
// frame whose member has an internal type once this file is compiled in a unity batch (CMAKE_UNITY_BUILD).
namespace coroutine_models_test {

/// Counts the coroutine frames alive: one is passed by value to each task, so the frame holds it (a
/// coroutine copies its parameters into its frame) from the task's creation to its frame's end.
class FrameToken {
 public:
  explicit FrameToken(std::atomic<int>& live, std::atomic<int>& most) : live_(&live), most_(&most) { enter(); }
  FrameToken(FrameToken&& other) noexcept : live_(std::exchange(other.live_, nullptr)), most_(other.most_) {}
  FrameToken(const FrameToken& other) : live_(other.live_), most_(other.most_) { enter(); }
  FrameToken& operator=(const FrameToken&) = delete;
  FrameToken& operator=(FrameToken&&) = delete;
  ~FrameToken() {
    if (live_ != nullptr) live_->fetch_sub(1, std::memory_order_relaxed);
  }

 private:
  void enter() {
    const int now = live_->fetch_add(1, std::memory_order_relaxed) + 1;
    for (int most = most_->load(); now > most && !most_->compare_exchange_weak(most, now);) {
    }
  }
  std::atomic<int>* live_;
  std::atomic<int>* most_;
};

}  // namespace coroutine_models_test

namespace {

using coroutine_models_test::FrameToken;

/// A node of a `fan_out`-ary tree `depth` levels deep (skynet's shape): spawns all its children, then joins.
template <class M>
Task<void> tree_node(FrameToken token, int depth, std::size_t fan_out, std::atomic<std::int64_t>* leaves) {
  if (depth == 0) {
    leaves->fetch_add(1, std::memory_order_relaxed);
    co_return;
  }
  typename M::TaskGroup group;
  for (std::size_t child = 0; child < fan_out; ++child) {
    group.spawn(tree_node<M>(FrameToken(token), depth - 1, fan_out, leaves));
  }
  co_await group.join();
}

TYPED_TEST(CoroutineModelTest, ATreeOfSpawnsKeepsOnlyItsDepthAlive) {
  // Depth first: a spawner's children run before older ready tasks, so at most depth × fan-out frames wait at
  // once on each worker (and a thief's stolen subtree adds as many again), never the 10^4 leaves of a
  // breadth-first order (which is what a FIFO of spawns gives: the whole tree alive; a scheduler that says
  // so, kSpawnsDepthFirst false, is held to that instead).
  using M = TypeParam;
  constexpr int kDepth = 4;
  constexpr std::size_t kFanOut = 10;
  M model(ModelContext::with_cores(this->kCores));
  std::atomic<int> live{0};
  std::atomic<int> most{0};
  std::atomic<std::int64_t> leaves{0};
  model.run_tasks(1, [&](std::size_t) { return tree_node<M>(FrameToken(live, most), kDepth, kFanOut, &leaves); });
  this->RecordProperty("most_frames_alive", most.load());
  EXPECT_EQ(leaves.load(), 10000);
  EXPECT_EQ(live.load(), 0);
  const int workers = M::info.single_core ? 1 : this->kCores;
  if constexpr (M::Scheduler::kSpawnsDepthFirst) {
    EXPECT_LE(most.load(), workers * (kDepth + 1) * static_cast<int>(kFanOut)) << "frames alive at once";
  } else {
    EXPECT_GT(most.load(), 1000) << "a FIFO of spawns keeps most of the tree alive at once: is it depth first now?";
  }
}

TEST(CoroutineLoopModel, RunsOnTheCallingThreadInSpawnOrder) {
  CoroutineLoopModel model(ModelContext::with_cores(4));
  const auto caller = std::this_thread::get_id();
  std::vector<std::size_t> order;
  bool same_thread = true;
  const auto use = model.run_tasks(5, [&](std::size_t index) -> Task<void> {
    same_thread = same_thread && std::this_thread::get_id() == caller;
    order.push_back(index);
    co_return;
  });
  EXPECT_TRUE(same_thread);
  EXPECT_THAT(order, ::testing::ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(use.workers, 1);
}

TEST(CoroutineLoopModel, AThousandBlockingWaitsAreAllPendingAtOnce) {
  // The figure the issue asks for (1,000 tasks × 10 ms in about 10 ms), asserted on overlap, not time:
  // every task is in its wait before the first wait ends.
  constexpr std::size_t kTasks = 1000;
  CoroutineLoopModel model(ModelContext::with_cores(1));
  std::size_t waiting = 0;
  std::size_t most_waiting = 0;
  model.run_tasks(kTasks, [&](std::size_t) -> Task<void> {
    most_waiting = std::max(most_waiting, ++waiting);
    co_await CoroutineLoopModel::block_for(10ms);
    --waiting;
  });
  EXPECT_EQ(most_waiting, kTasks);
}

TEST(CoroutinePoolModel, RunsTasksOnItsWorkersInParallel) {
  // Both tasks wait until both are running at once (spinning, not yielding): only two workers get there.
  CoroutinePoolModel model(ModelContext::with_cores(2));
  std::atomic<int> running{0};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  const auto use = model.run_tasks(2, [&](std::size_t) -> Task<void> {
    running.fetch_add(1);
    while (running.load() < 2) std::this_thread::yield();
    std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
    co_return;
  });
  EXPECT_EQ(threads.size(), 2u);
  EXPECT_TRUE(threads.contains(std::this_thread::get_id())) << "run_tasks' caller is worker 0";
  EXPECT_EQ(use.workers, 2);
}

TEST(CoroutinePool, AnIdleWorkerStealsASpawnedTask) {
  // The root spawns `first`, then `second`, onto its worker's deque; that worker runs `second` (newest first),
  // which blocks the worker thread until `first` has run. Only a steal by the other worker can run `first`.
  // Proved with a latch, not a clock: the deadline only turns a broken steal into a failure, not a hang.
  CoroutinePool pool(2);
  std::atomic<bool> first_ran{false};
  bool second_saw_first = false;
  auto first = [&]() -> Task<void> {
    first_ran.store(true);
    co_return;
  };
  auto second = [&]() -> Task<void> {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!first_ran.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    second_saw_first = first_ran.load();
    co_return;
  };
  auto root = [&]() -> Task<void> {
    coro::TaskGroup<CoroutinePool> group;
    group.spawn(first());
    group.spawn(second());
    co_await group.join();
  };
  pool.run(root());
  EXPECT_TRUE(second_saw_first) << "the blocked worker's other task was never stolen";
  EXPECT_GE(pool.steals(), 1u);
  // Not asserted: that the two ran on different threads. The idle worker may steal `first` the moment it is
  // spawned, run it, then steal `second` too before the root's worker pops it (TSan's slow-down made that
  // 15 runs in 300): a steal all the same, and `second` still saw `first`.
}

TEST(CoroutineRegistry, BothModelsAreRegisteredAsCoroutineModels) {
  for (const char* id : {"coroutine", "coroutine-pool"}) {
    ASSERT_NE(find_model(id), nullptr) << id;
    EXPECT_TRUE(is_coroutine_model(id)) << id;
    EXPECT_FALSE(is_stackful_model(id)) << id;
    EXPECT_TRUE(find_model(id)->concurrent) << id;
  }
  EXPECT_TRUE(find_model("coroutine")->single_core);
  EXPECT_FALSE(find_model("coroutine-pool")->single_core);
  EXPECT_FALSE(is_coroutine_model("thread"));
  std::string id;
  EXPECT_TRUE(visit_model(CoroutineModels{}, "coroutine-pool", [&]<class M>() { id = M::info.id; }));
  EXPECT_EQ(id, "coroutine-pool");
  EXPECT_FALSE(visit_model(CoroutineModels{}, "thread", []<class M>() {})) << "not a coroutine model";
}

}  // namespace
}  // namespace concbench
