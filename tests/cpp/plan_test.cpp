// The plan (app/runner/plan.hpp): which cells a run measures, in which order, and what input it refuses.
#include "app/runner/plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/models/model_registry.hpp"
#include "tests/cpp/plan_test_support.hpp"

namespace concbench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

PlanRequest request_for(std::vector<std::string> workloads, std::vector<std::string> models = {},
                        std::vector<int> cores = {}, int cpus = 4) {
  PlanRequest request;
  request.workloads = std::move(workloads);
  request.models = std::move(models);
  request.cores = std::move(cores);
  request.cpus = cpus;
  return request;
}

/// The UsageError message build_plan throws (fails the test when it does not throw one).
std::string plan_error(const PlanRequest& request) {
  try {
    build_plan(request);
  } catch (const UsageError& e) {
    return e.what();
  }
  ADD_FAILURE() << "build_plan accepted the request";
  return {};
}

TEST(DefaultCores, PowersOfTwoBelowTheCpusThenTheCpus) {
  EXPECT_THAT(default_cores(1), ElementsAre(1));
  EXPECT_THAT(default_cores(2), ElementsAre(1, 2));
  EXPECT_THAT(default_cores(6), ElementsAre(1, 2, 4, 6));
  EXPECT_THAT(default_cores(8), ElementsAre(1, 2, 4, 8));
}

TEST(Plan, SequentialRunsFirstAndAtOneCoreOnly) {
  const auto plan = build_plan(request_for({"parallel/cpu"}, {"thread", "sequential"}, {4, 2, 1}));
  // One parameter combination (tasks=1, the first default, is not special): sequential, then thread by cores.
  std::vector<std::pair<std::string, int>> firsts;
  for (const auto& key : plan) {
    if (key.tasks == plan.front().tasks) firsts.emplace_back(key.model, key.cores);
  }
  EXPECT_THAT(firsts,
              ElementsAre(std::pair<std::string, int>{"sequential", 1}, std::pair<std::string, int>{"thread", 1},
                          std::pair<std::string, int>{"thread", 2}, std::pair<std::string, int>{"thread", 4}));
  for (const auto& key : plan) {
    if (key.model == "sequential") {
      EXPECT_EQ(key.cores, 1) << key.label();
    }
  }
}

TEST(Plan, EverySpeedupBaseComesBeforeTheCellsThatNeedIt) {
  const auto plan = build_plan(request_for({}));
  ASSERT_FALSE(plan.empty());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    // An external model's cells run its workloads' quick sweeps, which the C++ sequential rows need not share:
    // their speedup is left empty (docs/models.md, external models); so is that of a fidelity partner's cell
    // planned at a peer's quick key (a quick key that is also a default key has its base).
    if (is_external_model(plan[i].model)) continue;
    const auto base_key = plan[i].speedup_base(model_param_names(plan[i].model));
    if (testing::at_a_peer_key(plan[i], plan) && std::find(plan.begin(), plan.end(), base_key) == plan.end()) continue;
    const auto base = std::find(plan.begin(), plan.end(), plan[i].speedup_base(model_param_names(plan[i].model)));
    ASSERT_NE(base, plan.end()) << plan[i].label();
    EXPECT_LE(base - plan.begin(), static_cast<std::ptrdiff_t>(i)) << plan[i].label();
  }
}

TEST(Plan, NoCellTwiceEvenWhenAskedTwice) {
  const auto plan = build_plan(request_for({"parallel/cpu", "parallel", "parallel/cpu"}, {}, {1, 2, 2}));
  std::set<std::string> labels;
  for (const auto& key : plan) EXPECT_TRUE(labels.insert(key.label()).second) << key.label();
}

TEST(Plan, DefaultPlanUsesDefaultCoresAndLeavesHiddenWorkloadsOut) {
  const auto plan = build_plan(request_for({}, {"thread"}, {}, 6));
  std::set<int> cores;
  for (const auto& key : plan) {
    EXPECT_NE(key.workload, "selftest");
    cores.insert(key.cores);
  }
  EXPECT_EQ(cores, (std::set<int>{1, 2, 4, 6}));
}

TEST(Plan, HiddenWorkloadRunsWhenNamed) {
  const auto plan = build_plan(request_for({"selftest/hang"}, {"sequential"}));
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].workload, "selftest");
  EXPECT_EQ(plan[0].variant, "hang");
}

TEST(Plan, WorkloadNameAloneSelectsEveryVariant) {
  std::set<std::string> variants;
  for (const auto& key : build_plan(request_for({"parallel"}, {"sequential"}))) variants.insert(key.variant);
  EXPECT_EQ(variants, (std::set<std::string>{"cpu", "io"}));
}

TEST(Plan, ParamsHoldEveryInputOfTheVariantWithDefaultsFilledIn) {
  auto request = request_for({"parallel"}, {"sequential"});
  request.quick = true;
  const auto plan = build_plan(request);
  ASSERT_EQ(plan.size(), 2u);
  // tasks has its own key column; parameters of the other variant stay out.
  EXPECT_EQ(plan[0].variant, "cpu");
  EXPECT_EQ(plan[0].params.canonical(), "items=64;work=10000");
  EXPECT_EQ(plan[1].variant, "io");
  EXPECT_EQ(plan[1].params.canonical(), "items=64;wait_us=1000");
  EXPECT_EQ(plan[0].tasks, 8);
}

TEST(Plan, QuickUsesTheQuickSweeps) {
  auto request = request_for({"parallel/cpu"}, {"sequential"});
  EXPECT_EQ(build_plan(request).size(), 3u);  // tasks 1, 8, 64
  request.quick = true;
  EXPECT_EQ(build_plan(request).size(), 1u);
}

TEST(Plan, FidelityPartnersAlsoRunThePeersQuickKeys) {
  // gil beside python-threads, coroutine beside python-asyncio, cell by cell: each partner also at the peer's quick
  // key (same tasks, params and cores), besides its own default sweep; thread, no partner, only at its own.
  const auto plan = build_plan(
      request_for({"counter/atomic"}, {"gil", "coroutine", "thread", "python-threads", "python-asyncio"}, {1, 2}));
  std::set<std::string> labels;
  for (const auto& key : plan) EXPECT_TRUE(labels.insert(key.label()).second) << key.label();
  const auto at = [&](const std::string& model, int cores, int tasks, const std::string& adds) {
    return std::count_if(plan.begin(), plan.end(), [&](const CellKey& key) {
      return key.model == model && key.cores == cores && key.tasks == tasks && key.params.get("adds") == adds;
    });
  };
  EXPECT_EQ(at("python-threads", 2, 2, "100000"), 1);
  EXPECT_EQ(at("gil", 1, 2, "100000"), 1);
  EXPECT_EQ(at("gil", 2, 2, "100000"), 1);
  EXPECT_EQ(at("gil", 2, 2, "1000000"), 1);  // its own default sweep stays
  EXPECT_EQ(at("coroutine", 1, 2, "100000"), 1);
  EXPECT_EQ(at("thread", 2, 2, "100000"), 0);
  EXPECT_EQ(fidelity_partner("python-generators"), "coroutine");
  EXPECT_EQ(fidelity_partner("go"), "");
  // without the peer its partner keeps to its own sweep
  const auto alone = build_plan(request_for({"counter/atomic"}, {"gil"}, {1, 2}));
  EXPECT_TRUE(
      std::none_of(alone.begin(), alone.end(), [](const CellKey& k) { return k.params.get("adds") == "100000"; }));
}

TEST(Plan, SetSweepsTheCartesianProduct) {
  auto request = request_for({"parallel/cpu"}, {"sequential"});
  request.sets = {parse_set("tasks=1,2,3"), parse_set("items=64,128")};
  std::set<std::pair<int, std::string>> cells;
  for (const auto& key : build_plan(request)) {
    cells.emplace(key.tasks, key.params.get("items"));
    EXPECT_EQ(key.params.get("work"), "10000") << "unswept parameters keep their default";
  }
  std::set<std::pair<int, std::string>> expected;
  for (int tasks : {1, 2, 3}) {
    for (const char* items : {"64", "128"}) expected.emplace(tasks, items);
  }
  EXPECT_EQ(cells, expected);
}

TEST(ParseSet, SplitsNameAndValues) {
  const auto sweep = parse_set("capacity=1,64,1024");
  EXPECT_EQ(sweep.first, "capacity");
  EXPECT_THAT(sweep.second, ElementsAre("1", "64", "1024"));
}

TEST(ParseSet, MalformedSetsThrow) {
  for (const char* text : {"tasks", "=1", "tasks=", "tasks=1,,2", "tasks=1,", "tasks=1;items=2", "tasks=a=b"}) {
    EXPECT_THROW(parse_set(text), UsageError) << text;
  }
}

TEST(PlanErrors, UnknownWorkload) {
  EXPECT_THAT(plan_error(request_for({"nope"})), HasSubstr("unknown workload 'nope'"));
  EXPECT_THAT(plan_error(request_for({"parallel/cpu/extra"})), HasSubstr("unknown workload"));
}

TEST(PlanErrors, UnknownVariant) {
  EXPECT_THAT(plan_error(request_for({"parallel/gpu"})), HasSubstr("unknown variant 'gpu'"));
}

TEST(PlanErrors, UnknownModel) {
  EXPECT_THAT(plan_error(request_for({"parallel"}, {"sequential", "green-threads"})),
              HasSubstr("unknown model 'green-threads'"));
}

TEST(PlanErrors, CoresOutsideOneToCpus) {
  EXPECT_THAT(plan_error(request_for({"parallel"}, {}, {0}, 2)), HasSubstr("cores"));
  EXPECT_THAT(plan_error(request_for({"parallel"}, {}, {-1}, 2)), HasSubstr("cores"));
  EXPECT_THAT(plan_error(request_for({"parallel"}, {}, {1, 3}, 2)), HasSubstr("got 3"));
  EXPECT_NO_THROW(build_plan(request_for({"parallel"}, {}, {2}, 2)));
}

TEST(PlanErrors, UnknownParameter) {
  auto request = request_for({"parallel"});
  request.sets = {{"capacity", {"1"}}};
  EXPECT_THAT(plan_error(request), HasSubstr("unknown parameter 'capacity'"));
}

TEST(PlanErrors, ParameterOfAVariantNotSelected) {
  auto request = request_for({"parallel/cpu"});
  request.sets = {{"wait_us", {"10"}}};  // an io parameter
  EXPECT_THAT(plan_error(request), HasSubstr("unknown parameter 'wait_us'"));
}

TEST(PlanErrors, BadParameterValues) {
  for (const char* value : {"abc", "0", "-4", "100001", "1.5"}) {
    auto request = request_for({"parallel"});
    request.sets = {{"tasks", {"8", value}}};
    EXPECT_THAT(plan_error(request), HasSubstr("--set tasks")) << value;
  }
}

TEST(PlanErrors, SameParameterSetTwice) {
  auto request = request_for({"parallel"});
  request.sets = {{"items", {"64"}}, {"items", {"128"}}};
  EXPECT_THAT(plan_error(request), HasSubstr("twice"));
}

TEST(PlanErrors, MoreTasksThanItems) {
  auto request = request_for({"parallel/cpu"});
  request.sets = {{"tasks", {"65"}}, {"items", {"64"}}};
  EXPECT_THAT(plan_error(request), HasSubstr("must not exceed items"));
  request.sets = {{"tasks", {"64"}}, {"items", {"64"}}};
  EXPECT_NO_THROW(build_plan(request));
}

}  // namespace
}  // namespace concbench
