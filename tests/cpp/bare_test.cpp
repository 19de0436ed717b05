// The `bare` pseudo-model and the floors (harness/models/bare.hpp, WorkloadSpec::floors): the model families,
// which workloads and variants get bare cells and at which cores, `--set primitive`, the refusal when nothing
// selected has a floor, floor_key for every workload x model, and each floor planned before its models.
#include "harness/models/bare.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/runner/plan.hpp"
#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"
#include "tests/cpp/plan_test_support.hpp"

namespace concbench {
namespace {

using ::testing::HasSubstr;

PlanRequest bare_request(std::vector<std::string> workloads, std::vector<std::string> models = {}) {
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
  EXPECT_TRUE(bare->family.empty());
  EXPECT_FALSE(is_stackful_model("bare"));
  EXPECT_FALSE(is_coroutine_model("bare"));
  for (const auto& model : all_models()) {
    if (model.id != "bare") {
      EXPECT_FALSE(model.pseudo) << model.id;
    }
  }
}

TEST(ModelFamily, NamesTheLibraryWhoseFloorEachModelIsComparedWith) {
  const std::map<std::string, std::string> expected{{"sequential", ""},
                                                    {"thread", "thread"},
                                                    {"fiber", "fiber"},
                                                    {"fiber-ws", "fiber"},
                                                    {"tbb", "tbb"},
                                                    {"gil", "thread"},
                                                    {"gil-legacy", "thread"},
                                                    {"coroutine", "coroutine"},
                                                    {"bare", ""},
                                                    {"coroutine-pool", "coroutine"},
                                                    // the external models have no floor: their peers' primitives
                                                    // are not in this binary
                                                    {"python-threads", ""},
                                                    {"python-asyncio", ""},
                                                    {"python-generators", ""},
                                                    {"go", ""}};
  std::set<std::string> families;
  for (const auto& [id, family] : expected) families.insert(family);
  std::set<std::string> seen;
  for (const auto& model : all_models()) {
    const std::string id(model.id);
    seen.insert(id);
    if (const auto it = expected.find(id); it != expected.end()) {
      EXPECT_EQ(model.family, it->second) << id;
    } else {
      // A model added since: compared with the floor of one of the libraries above, or with none.
      EXPECT_TRUE(families.contains(std::string(model.family))) << id << ": " << model.family;
    }
  }
  for (const auto& [id, family] : expected) EXPECT_TRUE(seen.contains(id)) << id << " is no longer registered";
}

TEST(FloorSpec, NamesOnlyModelFamiliesAndItsOwnPrimitives) {
  std::set<std::string> families;
  for (const auto& model : all_models()) families.emplace(model.family);
  for (const auto& workload : all_workloads()) {
    for (const auto& floor : workload.floors) {
      const auto primitives = floor.primitives();
      for (const auto& [family, primitive] : floor.primitive_of_family) {
        EXPECT_TRUE(!family.empty() && families.contains(family)) << workload.name << ": " << family;
      }
      for (const auto& [model, primitive] : floor.primitive_of_model) {
        const auto* info = find_model(model);
        EXPECT_TRUE(info != nullptr && !info->pseudo) << workload.name << ": " << model;
      }
      for (const auto& primitive : floor.one_thread) {
        EXPECT_NE(std::find(primitives.begin(), primitives.end(), primitive), primitives.end()) << primitive;
      }
      for (const auto& variant : floor.variants) {
        EXPECT_NE(std::find(workload.variants.begin(), workload.variants.end(), variant), workload.variants.end());
      }
    }
  }
}

TEST(Bindings, AWorkloadHasABareBodyExactlyWhenItHasAFloorAndTheKindsItRunsOn) {
  std::map<std::string, std::string> kinds;  // workload -> the kinds it binds: s(tackful) c(oroutine) b(are)
  for (const auto& workload : all_workloads()) {
    const auto& bound = workload.bindings;
    EXPECT_EQ(bound.bare != nullptr, !workload.floors.empty()) << workload.name;
    kinds[workload.name] =
        std::string(bound.stackful ? "s" : "") + (bound.coroutine ? "c" : "") + (bound.bare ? "b" : "");
  }
  EXPECT_EQ(kinds, (std::map<std::string, std::string>{{"convoy", "s"},
                                                       {"counter", "scb"},
                                                       {"parallel", "scb"},
                                                       {"philosophers", "sc"},
                                                       {"pingpong", "scb"},
                                                       {"prodcons", "scb"},
                                                       {"selftest", "s"},
                                                       {"spawn", "scb"}}));
  // A kind without a body: the cell is refused with the reason, not built.
  const CellKey key{"convoy", "alone", "coroutine", 1, 1, Params::parse("ops=1")};
  const auto setup = find_workload("convoy")->make(key, ModelContext::of_cell(key));
  EXPECT_FALSE(setup.run);
  EXPECT_EQ(setup.unsupported, "no binding of this workload for model coroutine");
}

TEST(BarePlan, BareCellsOnlyWhereThereIsAFloor) {
  std::set<std::string> with_bare;
  for (const auto& key : build_plan(bare_request({}))) {
    if (key.model == "bare") with_bare.insert(key.workload + "/" + key.variant);
  }
  EXPECT_EQ(with_bare,
            (std::set<std::string>{"counter/atomic", "counter/mutex", "counter/sharded", "counter/sharded-packed",
                                   "parallel/cpu", "pingpong/switch", "prodcons/1x1", "prodcons/1xN", "prodcons/Nx1",
                                   "prodcons/NxN", "spawn/flat", "spawn/skynet"}));
}

TEST(BarePlan, PingpongHasOneBareRowPerPrimitiveAndCoresCounterAlsoOneWithout) {
  std::multiset<std::string> primitives;
  std::multiset<std::string> counter_floors;  // "" for the cell without a primitive
  for (const auto& key : build_plan(bare_request({"pingpong", "counter/atomic"}, {"bare", "thread"}))) {
    if (key.workload == "pingpong" && key.model == "bare") {
      primitives.insert(key.params.get("primitive"));
    } else if (key.model == "bare" && key.tasks == 2) {
      counter_floors.insert(key.params.has("primitive") ? key.params.get("primitive") : "");
    } else if (key.model != "bare") {
      EXPECT_FALSE(key.params.has("primitive")) << key.label();
    }
  }
  // Two core counts (cpus = 2) for the thread hand-off; the one-thread loops (coroutine, fiber) at 1 core only.
  EXPECT_EQ(primitives,
            (std::multiset<std::string>{"atomic-wait", "atomic-wait", "fiber-yield", "symmetric-transfer"}));
  // counter/atomic (2 tasks): the plain adds every family compares with, and the global-lock models' own, at
  // both core counts.
  EXPECT_EQ(counter_floors,
            (std::multiset<std::string>{"", "", "gil-legacy-tick", "gil-legacy-tick", "gil-tick", "gil-tick"}));
}

TEST(BarePlan, EachFloorPlansItsPrimitivesTheOneThreadLoopsAtOneCore) {
  using Cell = std::tuple<std::string, std::string, int>;  // workload/variant, primitive, cores
  auto request = bare_request({"spawn", "prodcons/1x1", "parallel/cpu"}, {"bare"});
  request.quick = true;  // one parameter combination per variant
  std::multiset<Cell> cells;
  for (const auto& key : build_plan(request)) {
    cells.emplace(key.workload + "/" + key.variant, key.params.get("primitive"), key.cores);
  }
  EXPECT_EQ(cells, (std::multiset<Cell>{
                       {"spawn/flat", "coroutine-join", 1},      {"spawn/flat", "fiber-join", 1},
                       {"spawn/flat", "tbb-task-group", 1},      {"spawn/flat", "tbb-task-group", 2},
                       {"spawn/flat", "thread-join", 1},         {"spawn/flat", "thread-join", 2},
                       {"spawn/skynet", "coroutine-join", 1},    {"spawn/skynet", "fiber-join", 1},
                       {"spawn/skynet", "tbb-task-group", 1},    {"spawn/skynet", "tbb-task-group", 2},
                       {"prodcons/1x1", "coroutine-channel", 1}, {"prodcons/1x1", "fiber-cv-ring", 1},
                       {"prodcons/1x1", "tbb-bounded-queue", 1}, {"prodcons/1x1", "tbb-bounded-queue", 2},
                       {"prodcons/1x1", "std-cv-ring", 1},       {"prodcons/1x1", "std-cv-ring", 2},
                       {"parallel/cpu", "tbb-parallel-for", 1},  {"parallel/cpu", "tbb-parallel-for", 2},
                       {"parallel/cpu", "thread-split", 1},      {"parallel/cpu", "thread-split", 2},
                   }));
}

TEST(BarePlan, APrimitiveCanBeChosenAndAnUnknownOneIsRefused) {
  auto request = bare_request({"pingpong"}, {"bare"});
  request.sets = {{"primitive", {"fiber-yield"}}};
  for (const auto& key : build_plan(request)) EXPECT_EQ(key.params.get("primitive"), "fiber-yield");
  request.sets = {{"primitive", {"spin"}}};
  EXPECT_THROW(build_plan(request), UsageError);

  // Across workloads: each floor keeps the primitives asked for; a floor without primitives keeps its cells.
  request = bare_request({"pingpong", "spawn/flat", "counter/atomic"}, {"bare"});
  request.sets = {{"primitive", {"fiber-join", "fiber-yield"}}};
  std::set<std::string> got;
  for (const auto& key : build_plan(request)) {
    got.insert(key.workload + (key.params.has("primitive") ? " " + key.params.get("primitive") : ""));
  }
  EXPECT_EQ(got, (std::set<std::string>{"counter", "pingpong fiber-yield", "spawn fiber-join"}));
  // Without bare selected, `primitive` is nobody's parameter.
  request.models = {"thread"};
  try {
    build_plan(request);
    ADD_FAILURE() << "build_plan accepted --set primitive without bare";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown parameter 'primitive'"));
  }
}

TEST(BarePlan, OnlyBareWithFloorlessWorkloadsSaysWhereItRuns) {
  try {
    build_plan(bare_request({"philosophers", "convoy", "parallel/io"}, {"bare"}));
    ADD_FAILURE() << "build_plan accepted an empty plan";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("only in workloads parallel/cpu, counter, pingpong, prodcons, spawn"));
  }
  // Beside a real model those workloads simply have no bare rows.
  for (const auto& key : build_plan(bare_request({"parallel/io", "philosophers"}, {"bare", "thread"}))) {
    EXPECT_EQ(key.model, "thread");
  }
}

/// What floor_key must give, written out per workload/variant: model or family -> (primitive, its loop on one
/// thread); a model's own entry wins over its family's. A primitive of "" means a floor without primitives
/// (counter). Absent: no floor.
using Expected = std::map<std::string, std::pair<std::string, bool>>;
const std::map<std::string, Expected>& expected_floors() {
  static const std::map<std::string, Expected> floors = [] {
    std::map<std::string, Expected> all;
    const Expected every_family{{"thread", {"", false}},      {"fiber", {"", false}},
                                {"coroutine", {"", false}},   {"tbb", {"", false}},
                                {"gil", {"gil-tick", false}}, {"gil-legacy", {"gil-legacy-tick", false}}};
    for (const char* variant : {"atomic", "sharded", "sharded-packed"}) {
      all[std::string("counter/") + variant] = every_family;
    }
    all["counter/mutex"] = {{"coroutine", {"coroutine-mutex", true}},
                            {"fiber", {"fiber-mutex", true}},
                            {"tbb", {"tbb-mutex", false}},
                            {"thread", {"thread-mutex", false}}};
    all["pingpong/switch"] = {{"coroutine", {"symmetric-transfer", true}},
                              {"fiber", {"fiber-yield", true}},
                              {"thread", {"atomic-wait", false}},
                              {"tbb", {"atomic-wait", false}}};
    all["spawn/flat"] = {{"coroutine", {"coroutine-join", true}},
                         {"fiber", {"fiber-join", true}},
                         {"tbb", {"tbb-task-group", false}},
                         {"thread", {"thread-join", false}}};
    all["spawn/skynet"] = all["spawn/flat"];
    all["spawn/skynet"].erase("thread");
    for (const char* variant : {"1x1", "1xN", "Nx1", "NxN"}) {
      all[std::string("prodcons/") + variant] = {{"coroutine", {"coroutine-channel", true}},
                                                 {"fiber", {"fiber-cv-ring", true}},
                                                 {"tbb", {"tbb-bounded-queue", false}},
                                                 {"thread", {"std-cv-ring", false}}};
    }
    all["parallel/cpu"] = {{"tbb", {"tbb-parallel-for", false}}, {"thread", {"thread-split", false}}};
    return all;  // parallel/io, convoy, philosophers: no floor
  }();
  return floors;
}

TEST(FloorKey, EveryModelCellOfTheDefaultPlanGetsItsFamilysFloorPlannedBeforeIt) {
  const auto plan = build_plan(bare_request({}));
  std::set<std::string> pairs;  // workload/variant model -> primitive, to see every combination was met
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const auto& key = plan[i];
    if (key.model == "bare") continue;
    const auto family = std::string(find_model(key.model)->family);
    const auto floors = expected_floors().find(key.workload + "/" + key.variant);
    std::optional<std::pair<std::string, bool>> expected;
    if (!family.empty() && floors != expected_floors().end()) {
      for (const auto& owner : {key.model, family}) {
        if (floors->second.contains(owner)) {
          expected = floors->second.at(owner);
          break;
        }
      }
    }
    const auto got = floor_key(key);
    ASSERT_EQ(got.has_value(), expected.has_value()) << key.label();
    pairs.insert(key.workload + "/" + key.variant + " " + key.model + " -> " +
                 (got ? got->params.has("primitive") ? got->params.get("primitive") : "bare" : "none"));
    if (!got) continue;
    EXPECT_EQ(got->model, "bare");
    EXPECT_EQ(got->workload, key.workload);
    EXPECT_EQ(got->variant, key.variant);
    EXPECT_EQ(got->tasks, key.tasks);
    EXPECT_EQ(got->cores, expected->second ? 1 : key.cores) << key.label();
    auto params = key.speedup_base(model_param_names(key.model)).params;  // the workload's parameters only
    if (!expected->first.empty()) params.set("primitive", expected->first);
    EXPECT_EQ(got->params, params) << key.label();
    const auto floor = std::find(plan.begin(), plan.end(), *got);
    if (floor == plan.end() && testing::at_a_peer_key(key, plan)) continue;  // a partner's extra cell: no floor row
    ASSERT_NE(floor, plan.end()) << got->label() << " is not planned, for " << key.label();
    EXPECT_LT(floor - plan.begin(), static_cast<std::ptrdiff_t>(i)) << got->label() << " after " << key.label();
  }
  // Spot checks of the table above against what was met.
  for (const char* pair :
       {"pingpong/switch coroutine-pool -> symmetric-transfer", "pingpong/switch gil -> atomic-wait",
        "spawn/skynet thread -> none", "spawn/flat gil-legacy -> thread-join", "prodcons/NxN fiber-ws -> fiber-cv-ring",
        "parallel/cpu fiber -> none", "parallel/io thread -> none", "counter/mutex coroutine -> coroutine-mutex",
        "counter/atomic coroutine -> bare", "counter/atomic sequential -> none", "philosophers/naive tbb -> none",
        "counter/sharded gil -> gil-tick", "counter/atomic gil-legacy -> gil-legacy-tick",
        "counter/atomic thread -> bare", "counter/mutex gil -> thread-mutex"}) {
    EXPECT_TRUE(pairs.contains(pair)) << pair;
  }
}

TEST(FloorKey, DropsTheModelsOwnParametersAndKeepsTheWorkloads) {
  const CellKey gil{"pingpong", "switch", "gil", 2, 2, Params::parse("gil_interval_us=5000;switches=100")};
  const auto floor = floor_key(gil);
  ASSERT_TRUE(floor);
  EXPECT_EQ(floor->label(), "pingpong/switch bare cores=2 tasks=2 primitive=atomic-wait;switches=100");
  const CellKey coroutine_pool{"pingpong", "switch", "coroutine-pool", 2, 2, Params::parse("switches=100")};
  EXPECT_EQ(floor_key(coroutine_pool)->label(),
            "pingpong/switch bare cores=1 tasks=2 primitive=symmetric-transfer;switches=100");
  EXPECT_FALSE(floor_key({"nope", "x", "thread", 1, 1, {}}));
  EXPECT_FALSE(floor_key({"pingpong", "switch", "green-threads", 1, 2, {}}));
}

}  // namespace
}  // namespace concbench
