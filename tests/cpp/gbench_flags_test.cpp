// The --benchmark_* flags passed through to every cell (app/runner/gbench_flags.hpp).
#include "app/runner/gbench_flags.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/runner/plan.hpp"

namespace concbench {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

/// The UsageError message take_gbench_flags throws for `flag` (fails the test when it accepts it).
std::string refusal(const std::string& flag) {
  std::vector<std::string> args{flag};
  try {
    take_gbench_flags(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  ADD_FAILURE() << flag << " was accepted";
  return {};
}

TEST(TakeGbenchFlags, MovesAllowedFlagsOutAndKeepsTheRestInOrder) {
  std::vector<std::string> args{"--workloads",
                                "parallel",
                                "--benchmark_repetitions=7",
                                "--quick",
                                "--benchmark_min_time=0.5",
                                "--benchmark_min_warmup_time=0",
                                "--benchmark_enable_random_interleaving"};
  const auto taken = take_gbench_flags(args);
  EXPECT_THAT(taken, ElementsAre("--benchmark_repetitions=7", "--benchmark_min_time=0.5",
                                 "--benchmark_min_warmup_time=0", "--benchmark_enable_random_interleaving"));
  EXPECT_THAT(args, ElementsAre("--workloads", "parallel", "--quick"));
}

TEST(TakeGbenchFlags, AcceptsBooleanSpellings) {
  for (const char* value : {"true", "false", "1", "0"}) {
    std::vector<std::string> args{std::string("--benchmark_enable_random_interleaving=") + value};
    EXPECT_NO_THROW(take_gbench_flags(args)) << value;
  }
}

TEST(TakeGbenchFlags, RefusesFlagsThatBreakTheRunnersOutput) {
  for (const char* flag : {"--benchmark_out=x.json", "--benchmark_filter=.", "--benchmark_format=json",
                           "--benchmark_out_format=csv", "--benchmark_list_tests"}) {
    EXPECT_THAT(refusal(flag), HasSubstr("refused")) << flag;
  }
}

TEST(TakeGbenchFlags, TranslatesGoogleBenchmark18Syntax) {
  // 1.7.1 takes a plain number of seconds: 1.8's `0.5s` is translated; `10x` (iterations) is kept for the
  // cell child, which sizes the cell with it (1.7.1 has no flag for it).
  std::vector<std::string> args{"--benchmark_min_time=0.5s", "--benchmark_min_warmup_time=0.25s",
                                "--benchmark_min_time=10x"};
  EXPECT_THAT(take_gbench_flags(args),
              ElementsAre("--benchmark_min_time=0.5", "--benchmark_min_warmup_time=0.25", "--benchmark_min_time=10x"));
  EXPECT_THAT(refusal("--benchmark_min_warmup_time=10x"), HasSubstr("a number of seconds"));
  EXPECT_THAT(refusal("--benchmark_min_time=1ms"), HasSubstr("'1ms'"));
}

TEST(TakeGbenchFlags, RefusesBadValues) {
  for (const char* flag :
       {"--benchmark_repetitions=0", "--benchmark_repetitions=-1", "--benchmark_repetitions=2.5",
        "--benchmark_repetitions=", "--benchmark_repetitions", "--benchmark_min_time=0", "--benchmark_min_time=0x",
        "--benchmark_min_time=", "--benchmark_min_time=2.5x", "--benchmark_min_time=-1",
        "--benchmark_min_warmup_time=-0.1", "--benchmark_enable_random_interleaving=maybe"}) {
    EXPECT_THAT(refusal(flag), HasSubstr("--benchmark_")) << flag;
  }
}

TEST(TakeGbenchFlags, RefusesUnknownFlags) { EXPECT_THAT(refusal("--benchmark_frobnicate=1"), HasSubstr("unknown")); }

TEST(CellGbenchFlags, DefaultsDependOnQuick) {
  EXPECT_THAT(cell_gbench_flags(true, {}), ElementsAre("--benchmark_repetitions=3", "--benchmark_min_time=0.02"));
  EXPECT_THAT(cell_gbench_flags(false, {}), ElementsAre("--benchmark_repetitions=5", "--benchmark_min_time=0.08"));
}

TEST(CellGbenchFlags, UserFlagsOverrideTheDefaults) {
  EXPECT_THAT(cell_gbench_flags(true, {"--benchmark_repetitions=9", "--benchmark_enable_random_interleaving"}),
              UnorderedElementsAre("--benchmark_min_time=0.02", "--benchmark_repetitions=9",
                                   "--benchmark_enable_random_interleaving"));
}

}  // namespace
}  // namespace concbench
