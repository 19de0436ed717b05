// `concbench check` through the real binary: exit codes 0 / 1 / 2, and nothing planned or run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/concbench_process.hpp"

namespace concbench::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

Finished check(const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> all{"check"};
  all.insert(all.end(), args.begin(), args.end());
  return run_concbench(all, dir);
}

TEST(CheckCli, NaiveDeadlockExitsOne) {
  TempDir dir;
  const auto finished = check({"philosophers", "--strategy", "naive", "--n", "4"}, dir);
  EXPECT_EQ(finished.exit_code, 1) << finished.err;
  EXPECT_THAT(finished.out, HasSubstr("deadlock reachable in 4 steps"));
  EXPECT_THAT(finished.out, HasSubstr("4. philosopher 3 takes fork 3 (left)"));
  EXPECT_EQ(finished.err, "");
}

TEST(CheckCli, DeadlockFreeExitsZero) {
  TempDir dir;
  for (const char* strategy : {"ordered", "waiter"}) {
    const auto finished = check({"philosophers", "--strategy", strategy, "--n", "4"}, dir);
    EXPECT_EQ(finished.exit_code, 0) << strategy << ": " << finished.err;
    EXPECT_THAT(finished.out, HasSubstr("deadlock-free")) << strategy;
  }
}

TEST(CheckCli, TrylockLivelockIsAWarningWithExitZero) {
  TempDir dir;
  const auto finished = check({"philosophers", "--strategy", "trylock", "--n", "3"}, dir);
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_THAT(finished.out, HasSubstr("deadlock-free"));
  EXPECT_THAT(finished.out, HasSubstr("warning: livelock reachable"));
}

struct BadCheck {
  const char* name;
  std::vector<std::string> args;
};

void PrintTo(const BadCheck& input, std::ostream* os) { *os << input.name; }

class CheckCliBadInput : public ::testing::TestWithParam<BadCheck> {};

TEST_P(CheckCliBadInput, OneErrorLineExitTwo) {
  TempDir dir;
  const auto finished = check(GetParam().args, dir);
  EXPECT_EQ(finished.exit_code, 2);
  EXPECT_THAT(finished.err_lines(), SizeIs(1)) << finished.err;
  EXPECT_THAT(finished.err, HasSubstr("error"));
  EXPECT_EQ(finished.out, "");
}

const BadCheck kBadChecks[] = {
    {"NoWorkload", {}},
    {"UnknownWorkload", {"parallel", "--strategy", "naive"}},
    {"UnknownStrategy", {"philosophers", "--strategy", "random"}},
    {"MissingStrategy", {"philosophers", "--n", "3"}},
    {"NTooSmall", {"philosophers", "--strategy", "naive", "--n", "1"}},
    {"NTooLarge", {"philosophers", "--strategy", "naive", "--n", "99"}},
    {"NNotANumber", {"philosophers", "--strategy", "naive", "--n", "five"}},
    {"UnknownFlag", {"philosophers", "--strategy", "naive", "--frobnicate"}},
    {"RunOption", {"philosophers", "--strategy", "naive", "--quick"}},
};

INSTANTIATE_TEST_SUITE_P(Check, CheckCliBadInput, ::testing::ValuesIn(kBadChecks),
                         [](const ::testing::TestParamInfo<BadCheck>& test) { return std::string(test.param.name); });

TEST(CheckCli, RunsNoBenchmark) {
  TempDir dir;
  const auto out = dir / "out";
  // A run option after check is refused, not taken as a run: no report directory appears.
  const auto finished = check({"philosophers", "--strategy", "naive", "--out", out.string()}, dir);
  EXPECT_EQ(finished.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace concbench::testing
