// Bad input to the real binary: refused before anything runs, with one line on stderr and exit 2.
#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/concbench_process.hpp"

namespace concbench::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

struct BadInput {
  const char* name;
  std::vector<std::string> args;  // --out is added unless the case sets it
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, OneErrorLineExitTwoAndNoRunDirectory) {
  TempDir dir;
  const auto out = dir / "out";
  auto args = GetParam().args;
  // --resume refuses --out (it replays the run's own), so those cases go without.
  const auto has = [&](const char* flag) { return std::find(args.begin(), args.end(), flag) != args.end(); };
  if (!has("--out") && !has("--resume")) args.insert(args.end(), {"--out", out.string()});
  const auto finished = run_concbench(args, dir);
  EXPECT_EQ(finished.exit_code, 2);
  EXPECT_THAT(finished.err_lines(), SizeIs(1)) << finished.err;
  EXPECT_THAT(finished.err, HasSubstr("error"));
  EXPECT_EQ(finished.out, "") << "nothing on stdout, which names the run directory of a run";
  EXPECT_TRUE(no_run_dir(out)) << "a run directory was created for refused input";
}

const BadInput kBadInputs[] = {
    {"UnknownFlag", {"--frobnicate"}},
    {"UnknownWorkload", {"--workloads", "nope"}},
    {"UnknownVariant", {"--workloads", "parallel/gpu"}},
    {"UnknownModel", {"--models", "nope"}},
    {"UnknownParameter", {"--workloads", "parallel", "--set", "capacity=1"}},
    {"CoresZero", {"--cores", "0"}},
    {"CoresAboveCpus", {"--cores", "999"}},
    {"CoresNotANumber", {"--cores", "two"}},
    {"SetWithoutEquals", {"--set", "tasks"}},
    {"SetWithBadValue", {"--set", "tasks=abc"}},
    {"SetValueOutOfRange", {"--set", "tasks=0"}},
    {"TasksAboveItems", {"--workloads", "parallel", "--set", "tasks=65", "--set", "items=64"}},
    {"NegativeTimeout", {"--timeout", "-1"}},
    {"ZeroTimeout", {"--timeout", "0"}},
    {"UnwritableOut", {"--workloads", "selftest/ok", "--models", "sequential", "--out", "/proc/nonexistent/x"}},
    {"BenchmarkOut", {"--benchmark_out=x"}},
    {"BenchmarkFilter", {"--benchmark_filter=."}},
    {"MinTimeInMilliseconds", {"--benchmark_min_time=500ms"}},
    {"MinTimeFractionalIterations", {"--benchmark_min_time=2.5x"}},
    {"CoresEmptyItem", {"--cores", "1,,2"}},
    {"CoresTrailingComma", {"--cores=1,"}},
    {"ModelsEmptyItem", {"--models", "thread,,tbb"}},
    {"WorkloadsLeadingComma", {"--workloads", ",parallel"}},
    {"SetEmptyItem", {"--set", "items=64,,128"}},
    {"GilIntervalEmptyItem", {"--gil-interval", "1,,5"}},
    {"ResumeOfANonRun", {"--resume", "/"}},
    {"ResumeOfAMissingDirectory", {"--resume", "/nonexistent/concbench-run"}},
};

INSTANTIATE_TEST_SUITE_P(Cli, CliBadInput, ::testing::ValuesIn(kBadInputs),
                         [](const ::testing::TestParamInfo<BadInput>& test) { return std::string(test.param.name); });

TEST(Cli, ResumeRefusesOptionsItWouldReplay) {
  TempDir dir;
  // A real (tiny) run to resume.
  const auto out = dir / "out";
  const auto run = run_concbench({"--workloads", "selftest/ok", "--models", "sequential", "--out", out.string(),
                                  "--benchmark_min_time=0.01", "--benchmark_repetitions=1"},
                                 dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto finished = run_concbench({"--resume", run.last_out_line(), "--models", "thread"}, dir);
  EXPECT_EQ(finished.exit_code, 2);
  EXPECT_THAT(finished.err_lines(), SizeIs(1)) << finished.err;
  EXPECT_THAT(finished.err, HasSubstr("--models"));
}

TEST(Cli, ListPrintsTheCellsAndCreatesNothing) {
  TempDir dir;
  const auto out = dir / "out";
  const auto finished = run_concbench({"--list", "--workloads", "parallel", "--models", "sequential,thread", "--cores",
                                       "1", "--quick", "--out", out.string()},
                                      dir);
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  // Two variants, each: sequential and thread at one core.
  // 4 cells of 3 repetitions of 0.02 s (--quick) and a start each: about a second.
  EXPECT_EQ(finished.last_out_line(), "4 cells, about 1 s");
  EXPECT_THAT(finished.out, HasSubstr("parallel"));
  EXPECT_THAT(finished.out, HasSubstr("items=64;wait_us=1000"));
  EXPECT_FALSE(std::filesystem::exists(out)) << "--list must not create the report directory";
}

TEST(Cli, ListIncludesHiddenWorkloadsOnlyWhenNamed) {
  TempDir dir;
  const auto all = run_concbench({"--list"}, dir);
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(all.out, ::testing::Not(HasSubstr("selftest")));
  const auto named = run_concbench({"--list", "--workloads", "selftest/crash", "--models", "sequential"}, dir);
  EXPECT_EQ(named.exit_code, 0) << named.err;
  EXPECT_THAT(named.out, HasSubstr("crash"));
  EXPECT_THAT(named.last_out_line(), ::testing::StartsWith("1 cells, about "));
}

}  // namespace
}  // namespace concbench::testing
