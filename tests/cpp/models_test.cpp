// The execution models (harness/models/): every task index runs once, joins wait for all, errors reach the join.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/runner/plan.hpp"
#include "benchmarks/workload_registry.hpp"
#include "harness/models/fiber.hpp"
#include "harness/models/model_registry.hpp"
#include "harness/models/sequential.hpp"
#include "harness/models/thread.hpp"
#include "tests/cpp/cell_test_support.hpp"

namespace concbench {
namespace {

using namespace std::chrono_literals;

/// How many times each index ran.
class RunCounts {
 public:
  explicit RunCounts(std::size_t tasks) : counts_(tasks) {}
  void record(std::size_t index) { counts_.at(index).fetch_add(1, std::memory_order_relaxed); }
  /// Indices that did not run exactly once.
  std::vector<std::size_t> wrong() const {
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i].load() != 1) indices.push_back(i);
    }
    return indices;
  }

 private:
  std::vector<std::atomic<int>> counts_;
};

TEST(Registry, SequentialFirstAndEveryModelFindable) {
  const auto& models = all_models();
  ASSERT_FALSE(models.empty());
  EXPECT_EQ(models.front().id, "sequential");
  for (const auto& model : models) EXPECT_EQ(find_model(model.id), &model);
  EXPECT_EQ(find_model("no-such-model"), nullptr);
  EXPECT_TRUE(find_model("sequential")->single_core);
  EXPECT_FALSE(find_model("sequential")->concurrent);
  EXPECT_FALSE(find_model("thread")->single_core);
}

TEST(Registry, VisitModelFindsTheNamedModelInItsList) {
  std::string id;
  EXPECT_TRUE(visit_model(StackfulModels{}, "thread", [&]<class M>() { id = M::info.id; }));
  EXPECT_EQ(id, "thread");
  EXPECT_FALSE(visit_model(StackfulModels{}, "none", []<class M>() { FAIL() << "unknown id"; }));
  EXPECT_FALSE(visit_model(StackfulModels{}, "coroutine", []<class M>() { FAIL() << "not in the list"; }));
}

TEST(Registry, EveryModelHasOneKind) {
  for (const auto& model : all_models()) EXPECT_TRUE(model_kind(model.id).has_value()) << model.id;
  EXPECT_EQ(model_kind("thread"), ModelKind::stackful);
  EXPECT_EQ(model_kind("coroutine-pool"), ModelKind::coroutine);
  EXPECT_EQ(model_kind("bare"), ModelKind::bare);
  EXPECT_EQ(model_kind("python-asyncio"), ModelKind::external);
  EXPECT_TRUE(is_external_model("go"));
  EXPECT_FALSE(is_external_model("thread"));
  EXPECT_EQ(model_kind("no-such-model"), std::nullopt);
}

TEST(SequentialModel, RunsEveryIndexOnceInOrderOnTheCallingThread) {
  SequentialModel model(ModelContext::with_cores(1));
  std::vector<std::size_t> order;
  const auto caller = std::this_thread::get_id();
  const auto use = model.run_tasks(5, [&](std::size_t index) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(index);
  });
  EXPECT_THAT(order, ::testing::ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(use.workers, 1);
}

TEST(SequentialModel, ExceptionReachesTheCaller) {
  SequentialModel model(ModelContext::with_cores(1));
  EXPECT_THROW(model.run_tasks(3,
                               [](std::size_t index) {
                                 if (index == 1) throw std::runtime_error("task 1");
                               }),
               std::runtime_error);
}

TEST(ThreadModel, RunsEveryIndexExactlyOnceWithAThreadPerTask) {
  for (std::size_t tasks : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64}}) {
    ThreadModel model(ModelContext::with_cores(2));
    RunCounts counts(tasks);
    const auto use = model.run_tasks(tasks, [&](std::size_t index) { counts.record(index); });
    EXPECT_THAT(counts.wrong(), ::testing::IsEmpty()) << tasks << " tasks";
    EXPECT_EQ(use.workers, static_cast<int>(tasks));
    EXPECT_EQ(use.mapping, "thread-per-task");
  }
}

TEST(ThreadModel, AllTasksAreInProgressAtOnce) {
  // Each task waits for all the others to start: only a model that runs them concurrently finishes.
  // (A deadlock here would hang; the ctest timeout catches it.)
  constexpr std::size_t kTasks = 16;
  ThreadModel model(ModelContext::with_cores(1));
  std::latch all_started(kTasks);
  RunCounts counts(kTasks);
  model.run_tasks(kTasks, [&](std::size_t index) {
    all_started.arrive_and_wait();
    counts.record(index);
  });
  EXPECT_THAT(counts.wrong(), ::testing::IsEmpty());
}

TEST(ThreadModel, ThreadPerTaskRunsEachTaskOnItsOwnThread) {
  constexpr std::size_t kTasks = 64;
  ThreadModel model(ModelContext::with_cores(2));
  std::mutex mutex;
  std::set<std::thread::id> threads;  // ids stay distinct until join, which comes after every task
  model.run_tasks(kTasks, [&](std::size_t) {
    std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  });
  EXPECT_EQ(threads.size(), kTasks);
}

TEST(ThreadModel, LimitOfThreadPerTaskIsStillThreadPerTask) {
  ThreadModel model(ModelContext::with_cores(2));
  RunCounts counts(ThreadModel::kMaxThreadPerTask);
  const auto use = model.run_tasks(ThreadModel::kMaxThreadPerTask, [&](std::size_t index) { counts.record(index); });
  EXPECT_THAT(counts.wrong(), ::testing::IsEmpty());
  EXPECT_EQ(use.mapping, "thread-per-task");
}

TEST(ThreadModel, AboveTheLimitUsesAWorkerPerCore) {
  const std::size_t tasks = ThreadModel::kMaxThreadPerTask + 1;
  for (int cores : {1, 2, 3}) {
    ThreadModel model(ModelContext::with_cores(cores));
    RunCounts counts(tasks);
    std::mutex mutex;
    std::set<std::thread::id> threads;
    const auto use = model.run_tasks(tasks, [&](std::size_t index) {
      counts.record(index);
      std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    });
    EXPECT_THAT(counts.wrong(), ::testing::IsEmpty()) << cores << " cores";
    EXPECT_EQ(use.workers, cores);
    EXPECT_EQ(use.mapping, "thread-per-worker");
    EXPECT_LE(threads.size(), static_cast<std::size_t>(cores));
  }
}

/// Task 0 throws at once; every other task sleeps first, then records that it ran. The join must wait for
/// them all before it rethrows (a task still running after the join would use a dead stack frame).
void expect_rethrow_after_all_tasks_ended(std::size_t tasks, int cores) {
  ThreadModel model(ModelContext::with_cores(cores));
  RunCounts counts(tasks);
  std::atomic<std::size_t> ended{0};
  try {
    model.run_tasks(tasks, [&](std::size_t index) {
      counts.record(index);
      if (index == 0) throw std::runtime_error("task 0 failed on purpose");
      if (index % 97 == 1) std::this_thread::sleep_for(20ms);
      ended.fetch_add(1);
    });
    ADD_FAILURE() << "no exception at the join";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "task 0 failed on purpose");
    EXPECT_EQ(ended.load(), tasks - 1) << "rethrown before every task ended";
  }
  EXPECT_THAT(counts.wrong(), ::testing::IsEmpty()) << "one task's failure must not skip the others";
}

TEST(ThreadModel, RethrowsATasksExceptionAfterAllTasksEnded) { expect_rethrow_after_all_tasks_ended(8, 2); }

TEST(ThreadModel, RethrowsAfterAllTasksEndedInThreadPerWorkerMode) {
  expect_rethrow_after_all_tasks_ended(ThreadModel::kMaxThreadPerTask + 10, 2);
}

TEST(ThreadModel, FirstOfSeveralExceptionsIsRethrown) {
  ThreadModel model(ModelContext::with_cores(2));
  EXPECT_THROW(model.run_tasks(16, [](std::size_t) { throw std::logic_error("every task fails"); }), std::logic_error);
}

TEST(BlockFor, BlocksAtLeastTheWait) {
  for (auto block : {&SequentialModel::block_for, &ThreadModel::block_for}) {
    const auto start = std::chrono::steady_clock::now();
    block(5ms);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 5ms);
  }
}

#if !defined(__SANITIZE_THREAD__)  // TSan does not follow the fiber models' stack switches (docs/traps.md)
TEST(FiberStacks, EveryWorkloadUsesAQuarterOfTheStackAtMost) {
  // A cached fiber stack has no guard page (fiber_detail.hpp): the size must leave room. Every workload's cells
  // at their --quick sizes on both fiber models, with painted stacks; also the evidence for the size chosen.
  PlanRequest request;
  request.models = {"fiber", "fiber-ws"};
  request.cores = {2};
  request.quick = true;
  request.cpus = 2;
  FiberModel::measure_stack_use(true);
  int ran = 0;
  for (const auto& key : build_plan(request)) {
    const auto* spec = find_workload(key.workload);
    if (key.model != "fiber" && key.model != "fiber-ws") continue;
    // A variant that may deadlock ends the process (its monitor reports it): its code is the other variants'.
    if (std::ranges::count(spec->trial_variants, key.variant) > 0) continue;
    auto setup = testing::make_cell(key);
    if (!setup.run) continue;  // unsupported on this model
    setup.run->run_once();
    ++ran;
  }
  FiberModel::measure_stack_use(false);
  const auto deepest = FiberModel::deepest_stack_use();
  RecordProperty("deepest_stack_use_bytes", static_cast<int>(deepest));
  EXPECT_GT(ran, 10);
  EXPECT_GT(deepest, 0u) << "nothing measured";
  EXPECT_LE(deepest, FiberModel::kStackBytes / 4)
      << "a task used " << deepest << " bytes of a " << FiberModel::kStackBytes << "-byte fiber stack";
  std::printf("deepest fiber stack use over %d cells: %zu bytes\n", ran, deepest);
}
#endif

}  // namespace
}  // namespace concbench
