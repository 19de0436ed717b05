// The `pingpong` workload (benchmarks/pingpong/): every model and every bare primitive plays exactly the
// rounds asked for, in turn, and its row names the primitive (the model's floor's); models that cannot
// alternate two tasks say so; a wrong run is caught.
#include "benchmarks/pingpong/pingpong.hpp"

#include <array>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"
#include "tests/cpp/cell_test_support.hpp"
#include "tests/cpp/workload_models.hpp"

namespace concbench {
namespace {

using ::testing::HasSubstr;

CellKey pingpong_key(const std::string& model, int cores, std::int64_t switches, const std::string& primitive = {}) {
  auto params = Params::parse("switches=" + std::to_string(switches));
  if (!primitive.empty()) params.set("primitive", primitive);
  return {"pingpong", "switch", model, cores, 2, params};
}

struct Case {
  std::string model;
  std::string primitive;  // the row's metric (models) or parameter (bare)
  int workers;            // 0: a pool's, any of its threads
};
void PrintTo(const Case& c, std::ostream* os) { *os << c.model << " " << c.primitive; }

/// Every model that can alternate two tasks (all the registry's but `sequential`), with its family's primitive,
/// then every bare primitive.
std::vector<Case> cases() {
  const std::map<std::string, std::string> primitive_of_family{
      {"coroutine", "symmetric-transfer"}, {"fiber", "fiber-yield"}, {"thread", "atomic-wait"}, {"tbb", "atomic-wait"}};
  std::vector<Case> all;
  for (const auto& model : testing::workload_models()) {  // no fibers under TSan: testing::workload_models
    if (model == "sequential") continue;                  // ModelsThatCannotAlternateTwoTasksAreUnsupported
    const auto& info = *find_model(model);
    const int workers = info.single_core ? 1 : (info.family == "thread" ? 2 : 0);  // thread, gil: one per task
    all.push_back({model, primitive_of_family.at(std::string(info.family)), workers});
  }
#if !defined(__SANITIZE_THREAD__)
  all.push_back({"bare", "fiber-yield", 1});
#endif
  all.push_back({"bare", "symmetric-transfer", 1});
  all.push_back({"bare", "atomic-wait", 2});
  return all;
}

class PingpongOnModel : public ::testing::TestWithParam<Case> {};

TEST_P(PingpongOnModel, PlaysEveryRoundInTurnWithItsPrimitive) {
  const auto& c = GetParam();
  const bool bare = c.model == "bare";
  for (std::int64_t switches : {1, 2, 7, 1000}) {
    const auto key = pingpong_key(c.model, 2, switches, bare ? c.primitive : "");
    auto setup = testing::make_fast_gil_cell(key);
    ASSERT_TRUE(setup.run) << key.label() << ": " << setup.unsupported;
    EXPECT_EQ(setup.run->items_per_run(), switches);
    for (int run = 0; run < 3; ++run) setup.run->run_once();
    const auto verdict = setup.run->verify();
    EXPECT_TRUE(verdict.ok) << key.label() << ": " << verdict.reason;
    const auto figures = setup.run->figures();
    EXPECT_EQ(figures.metrics.at("primitive"), c.primitive) << key.label();
    if (c.workers > 0) {
      EXPECT_EQ(figures.workers.workers, c.workers) << key.label();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, PingpongOnModel, ::testing::ValuesIn(cases()), [](const auto& param_info) {
  std::string name = param_info.param.model + "_" + param_info.param.primitive;
  for (auto& ch : name) {
    if (ch == '-') ch = '_';
  }
  return name;
});

TEST(PingpongCell, ModelsThatCannotAlternateTwoTasksAreUnsupported) {
  const auto sequential = testing::make_fast_gil_cell(pingpong_key("sequential", 1, 10));
  EXPECT_FALSE(sequential.run);
  EXPECT_THAT(sequential.unsupported, HasSubstr("cannot alternate"));
  const auto tbb_one_thread = testing::make_fast_gil_cell(pingpong_key("tbb", 1, 10));
  EXPECT_FALSE(tbb_one_thread.run);
  EXPECT_THAT(tbb_one_thread.unsupported, HasSubstr("on 1 thread"));
}

TEST(PingpongExpected, TaskZeroPlaysTheEvenRoundsTaskOneTheOdd) {
  EXPECT_EQ(pingpong::expected(1), (pingpong::Outcome{1, {1, 0}}));
  EXPECT_EQ(pingpong::expected(7), (pingpong::Outcome{7, {4, 3}}));
  EXPECT_EQ(pingpong::expected(1000), (pingpong::Outcome{1000, {500, 500}}));
}

/// Test-only bindings that get the count wrong: one round short, or the turn moved without playing.
class ShortPingpong final : public pingpong::Cell {
 public:
  ShortPingpong(const CellKey& key, bool skip_rounds) : pingpong::Cell(key), skip_rounds_(skip_rounds) {}
  void run_once() override {
    start_run();
    if (skip_rounds_) {
      turn().store(switches());  // the right final turn, but nobody played
    } else {
      std::array<std::int64_t, 2> rounds{};
      for (std::int64_t r = 0; r + 1 < switches(); ++r) {
        pass_turn(r);
        ++rounds[static_cast<std::size_t>(r % 2)];
      }
      for (std::size_t task = 0; task < 2; ++task) played(task, rounds[task]);
    }
    end_run({1, {}});
  }

 private:
  bool skip_rounds_;
};

TEST(PingpongCell, AWrongSwitchCountFailsVerification) {
  ShortPingpong short_one(pingpong_key("sequential", 1, 10), false);
  short_one.run_once();
  EXPECT_FALSE(short_one.verify().ok);
  EXPECT_THAT(short_one.verify().reason, HasSubstr("turn ended at 9 with 5+4 rounds played, expected 10 with 5+5"));

  ShortPingpong unplayed(pingpong_key("sequential", 1, 10), true);
  unplayed.run_once();
  EXPECT_FALSE(unplayed.verify().ok);
  EXPECT_THAT(unplayed.verify().reason, HasSubstr("with 0+0 rounds played"));
}

TEST(PingpongSpec, ReportsNanosecondsPerSwitch) {
  EXPECT_EQ(find_workload("pingpong")->ns_per_item_metric, "ns_per_switch");
}

}  // namespace
}  // namespace concbench
