// The `bare` pseudo-model (harness/models/bare.hpp): planned for counter and pingpong only, one pingpong
// row per primitive, a sensible refusal when nothing it binds is selected.
#include "models/bare.hpp"

#include <algorithm>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "models/registry.hpp"
#include "runner/plan.hpp"

namespace concbench {
namespace {

using ::testing::HasSubstr;

PlanRequest request_for(std::vector<std::string> workloads, std::vector<std::string> models = {}) {
  PlanRequest request;
  request.workloads = std::move(workloads);
  request.models = std::move(models);
  request.cpus = 2;
  return request;
}

TEST(BareModel, IsAFindablePseudoModelOfNeitherFamily) {
  const auto* bare = find_model("bare");
  ASSERT_NE(bare, nullptr);
  EXPECT_TRUE(bare->pseudo);
  EXPECT_FALSE(is_stackful_model("bare"));
  EXPECT_FALSE(is_coroutine_model("bare"));
  for (const auto& model : all_models()) {
    if (model.id != "bare") {
      EXPECT_FALSE(model.pseudo) << model.id;
    }
  }
}

TEST(BarePlan, OnlyCounterAndPingpongGetBareCells) {
  std::set<std::string> with_bare;
  for (const auto& key : build_plan(request_for({}))) {
    if (key.model == "bare") with_bare.insert(key.workload);
  }
  EXPECT_EQ(with_bare, (std::set<std::string>{"counter", "pingpong"}));
}

TEST(BarePlan, PingpongHasOneBareRowPerPrimitiveAndCoresOthersNoPrimitive) {
  std::multiset<std::string> primitives;
  for (const auto& key : build_plan(request_for({"pingpong", "counter"}, {"bare", "thread"}))) {
    if (key.workload == "pingpong" && key.model == "bare") {
      primitives.insert(key.params.get("primitive"));
    } else {
      EXPECT_FALSE(key.params.has("primitive")) << key.label();
    }
  }
  // Two core counts (cpus = 2) for the thread hand-off; the one-thread loops (coroutine, fiber) at 1 core only.
  EXPECT_EQ(primitives, (std::multiset<std::string>{"atomic-wait", "atomic-wait", "fiber-yield", "symmetric-transfer"}));
}

TEST(BarePlan, APrimitiveCanBeChosenAndAnUnknownOneIsRefused) {
  auto request = request_for({"pingpong"}, {"bare"});
  request.sets = {{"primitive", {"fiber-yield"}}};
  for (const auto& key : build_plan(request)) EXPECT_EQ(key.params.get("primitive"), "fiber-yield");
  request.sets = {{"primitive", {"spin"}}};
  EXPECT_THROW(build_plan(request), UsageError);
}

TEST(BarePlan, OnlyBareWithOtherWorkloadsSaysWhereItRuns) {
  try {
    build_plan(request_for({"parallel"}, {"bare"}));
    ADD_FAILURE() << "build_plan accepted an empty plan";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("only in workloads counter, pingpong"));
  }
  // Beside a real model the other workloads simply have no bare rows.
  for (const auto& key : build_plan(request_for({"parallel"}, {"bare", "thread"}))) EXPECT_EQ(key.model, "thread");
}

}  // namespace
}  // namespace concbench
