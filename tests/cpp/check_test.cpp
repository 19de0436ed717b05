// The exhaustive checker: the explorer on a toy protocol, and the philosophers' verdicts per strategy.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/check/check_command.hpp"
#include "app/check/explorer.hpp"
#include "app/check/philosophers_model.hpp"

namespace concbench::check {
namespace {

using ::testing::HasSubstr;

/// A counter from 0 to 5: actor 0 adds 1, actor 1 adds 2 (not past 5); 5 has no step. The shortest way to
/// the deadlock is 2 + 2 + 1 (3 steps), though BFS also meets longer ones.
class CountToFive final : public Protocol {
 public:
  State initial() const override { return 0; }
  int actors() const override { return 2; }
  void steps(State state, std::vector<Step>& out) const override {
    if (state + 1 <= 5) out.push_back({state + 1, 0, 1, 0, false});
    if (state + 2 <= 5) out.push_back({state + 2, 1, 2, 0, false});
  }
  std::string describe(const Step& step) const override { return "add " + std::to_string(step.action); }
};

TEST(Explorer, FindsAShortestPathToTheDeadlock) {
  const auto found = explore(CountToFive{});
  ASSERT_TRUE(found.deadlock.has_value());
  ASSERT_EQ(found.deadlock->size(), 3u);
  EXPECT_EQ(found.deadlock->back().next, 5u);
  EXPECT_FALSE(found.livelock.has_value());
}

/// Two actors swapping a token forever without progress: a livelock; with progress on one step: none.
class Swap final : public Protocol {
 public:
  explicit Swap(bool progress) : progress_(progress) {}
  State initial() const override { return 0; }
  int actors() const override { return 2; }
  void steps(State state, std::vector<Step>& out) const override {
    out.push_back({1 - state, static_cast<int>(state), 0, 0, progress_ && state == 1});
  }
  std::string describe(const Step&) const override { return "swap"; }

 private:
  bool progress_;
};

TEST(Explorer, ReportsACycleWithoutProgressAsALivelock) {
  const auto found = explore(Swap{false});
  EXPECT_FALSE(found.deadlock.has_value());
  ASSERT_TRUE(found.livelock.has_value());
  EXPECT_EQ(found.livelock->cycle.size(), 2u);
  EXPECT_FALSE(explore(Swap{true}).livelock.has_value());
}

/// Replays `steps` from `from` through the model, each one required to be enabled; returns the end state.
State replay(const PhilosophersModel& model, State from, const std::vector<Step>& steps) {
  State at = from;
  for (const Step& step : steps) {
    std::vector<Step> enabled;
    model.steps(at, enabled);
    const bool found = std::any_of(enabled.begin(), enabled.end(), [&](const Step& s) {
      return s.next == step.next && s.actor == step.actor && s.action == step.action;
    });
    EXPECT_TRUE(found) << model.describe(step) << " is not enabled";
    at = step.next;
  }
  return at;
}

class PhilosophersCheck : public ::testing::TestWithParam<int> {};

TEST_P(PhilosophersCheck, NaiveDeadlocksAfterEveryoneTakesTheLeftFork) {
  const int n = GetParam();
  const PhilosophersModel model(Strategy::naive, n);
  const auto found = explore(model);
  ASSERT_TRUE(found.deadlock.has_value());
  ASSERT_EQ(found.deadlock->size(), static_cast<std::size_t>(n)) << "the shortest deadlock is N steps";
  std::vector<bool> took_left(static_cast<std::size_t>(n), false);
  for (const Step& step : *found.deadlock) {
    EXPECT_EQ(step.action, static_cast<int>(Op::take_first)) << model.describe(step);
    EXPECT_EQ(step.detail, step.actor) << "a philosopher's left fork has its own number";
    took_left[static_cast<std::size_t>(step.actor)] = true;
  }
  EXPECT_THAT(took_left, ::testing::Each(true));
  const State end = replay(model, model.initial(), *found.deadlock);
  std::vector<Step> enabled;
  model.steps(end, enabled);
  EXPECT_TRUE(enabled.empty()) << "the path must end where no step is enabled";
  EXPECT_EQ(model.describe(found.deadlock->front()), "philosopher 0 takes fork 0 (left)");
}

TEST_P(PhilosophersCheck, OrderedAndWaiterAreDeadlockAndLivelockFree) {
  for (const Strategy strategy : {Strategy::ordered, Strategy::waiter}) {
    const auto found = explore(PhilosophersModel(strategy, GetParam()));
    EXPECT_FALSE(found.deadlock.has_value()) << strategy_name(strategy);
    EXPECT_FALSE(found.livelock.has_value()) << strategy_name(strategy);
    EXPECT_GT(found.states, static_cast<std::size_t>(GetParam())) << strategy_name(strategy);
  }
}

TEST_P(PhilosophersCheck, TrylockIsDeadlockFreeButCanLivelock) {
  const int n = GetParam();
  const PhilosophersModel model(Strategy::trylock, n);
  const auto found = explore(model);
  EXPECT_FALSE(found.deadlock.has_value());
  ASSERT_TRUE(found.livelock.has_value());
  const auto& cycle = found.livelock->cycle;
  const State start = replay(model, model.initial(), found.livelock->prefix);
  EXPECT_EQ(replay(model, start, cycle), start) << "the cycle must come back to where it started";
  std::vector<bool> failed(static_cast<std::size_t>(n), false);
  for (const Step& step : cycle) {
    EXPECT_FALSE(step.progress) << "no meal in a livelock: " << model.describe(step);
    if (step.action == static_cast<int>(Op::try_second_failed)) failed[static_cast<std::size_t>(step.actor)] = true;
  }
  EXPECT_THAT(failed, ::testing::Each(true)) << "every philosopher fails and retries";
  EXPECT_EQ(cycle.size(), static_cast<std::size_t>(4 * n)) << "take, fail, put back, back off: per philosopher";
}

INSTANTIATE_TEST_SUITE_P(N, PhilosophersCheck, ::testing::Range(2, 7));

TEST(PhilosophersModel, OrderedTakesTheLowerFork) {
  const PhilosophersModel model(Strategy::ordered, 5);
  EXPECT_EQ(model.first_fork(4), 0);
  EXPECT_EQ(model.second_fork(4), 4);
  EXPECT_EQ(model.first_fork(1), 1);
  EXPECT_EQ(model.second_fork(1), 2);
}

TEST(PhilosophersModel, RefusesAnOutOfRangeN) {
  EXPECT_THROW(PhilosophersModel(Strategy::naive, kMinPhilosophers - 1), std::invalid_argument);
  EXPECT_THROW(PhilosophersModel(Strategy::naive, kMaxPhilosophers + 1), std::invalid_argument);
}

TEST(PhilosophersModel, ParsesStrategyNames) {
  EXPECT_EQ(parse_strategy("trylock"), Strategy::trylock);
  EXPECT_EQ(parse_strategy("waiter"), Strategy::waiter);
  EXPECT_FALSE(parse_strategy("Naive").has_value());
  EXPECT_EQ(strategy_names(), "naive, ordered, waiter, trylock");
}

std::string printed(Strategy strategy, int n, int& exit_code) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::tmpfile(), &std::fclose);
  exit_code = check_philosophers(strategy, n, file.get());
  std::rewind(file.get());
  std::string text;
  for (int c = std::fgetc(file.get()); c != EOF; c = std::fgetc(file.get())) text += static_cast<char>(c);
  return text;
}

TEST(CheckCommand, PrintsTheVerdictAndReturnsItsExitCode) {
  int code = -1;
  const auto naive = printed(Strategy::naive, 3, code);
  EXPECT_EQ(code, kDeadlockExit);
  EXPECT_THAT(naive, HasSubstr("deadlock reachable in 3 steps"));
  EXPECT_THAT(naive, HasSubstr("  1. philosopher 0 takes fork 0 (left)\n"));
  EXPECT_THAT(naive, HasSubstr("  3. philosopher 2 takes fork 2 (left)\n"));
  const auto ordered = printed(Strategy::ordered, 3, code);
  EXPECT_EQ(code, kDeadlockFreeExit);
  EXPECT_THAT(ordered, HasSubstr("deadlock-free"));
  EXPECT_THAT(ordered, HasSubstr("no livelock"));
  const auto trylock = printed(Strategy::trylock, 3, code);
  EXPECT_EQ(code, kDeadlockFreeExit);
  EXPECT_THAT(trylock, HasSubstr("deadlock-free"));
  EXPECT_THAT(trylock, HasSubstr("warning: livelock reachable: a cycle of 12 steps"));
  EXPECT_THAT(trylock, HasSubstr("tries fork 1 (right): held, fails"));
}

}  // namespace
}  // namespace concbench::check
