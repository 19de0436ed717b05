// Each status a misbehaving cell gets (the hidden `selftest` workload misbehaves on purpose), and that the
// rows before it are kept.
#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/concbench_process.hpp"

namespace concbench::testing {
namespace {

using ::testing::HasSubstr;

struct Misbehaviour {
  const char* variant;
  const char* status;
  const char* reason;  // a part of the row's reason
  bool measured;       // whether the child got as far as measuring (workers and items are known)
};

void PrintTo(const Misbehaviour& m, std::ostream* os) { *os << m.variant; }

class CellStatus : public ::testing::TestWithParam<Misbehaviour> {};

/// Under the asan/tsan presets the sanitizer would catch the SIGSEGV and exit(1) instead: let it through,
/// so the runner sees the signal (the only case that wants it; other cells keep the sanitizer's report).
std::vector<std::string> let_segv_through() {
  std::vector<std::string> env;
  for (const char* name : {"ASAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"}) {
    const char* current = std::getenv(name);
    env.push_back(std::string(name) + "=" + (current != nullptr ? std::string(current) + ":" : "") + "handle_segv=0");
  }
  return env;
}

TEST_P(CellStatus, BadCellGetsItsStatusAndEarlierRowsAreKept) {
  const auto& expected = GetParam();
  TempDir dir;
  const auto out = dir / "out";
  const auto env = std::string(expected.variant) == "crash" ? let_segv_through() : std::vector<std::string>{};
  // selftest/ok comes first (variants run in the workload's order); --timeout 2 bounds the hang.
  const auto finished =
      run_concbench({"--workloads", std::string("selftest/ok,selftest/") + expected.variant, "--models", "sequential",
                     "--timeout", "2", "--out", out.string(), "--benchmark_min_time=0.01", "--benchmark_repetitions=2"},
                    dir, env);
  EXPECT_EQ(finished.exit_code, 1) << finished.err;
  const auto run_dir = only_run_dir(out);
  ASSERT_FALSE(run_dir.empty());
  EXPECT_EQ(finished.last_out_line(), run_dir.string());

  const auto rows = results(run_dir).rows;
  ASSERT_EQ(rows.size(), 2u) << finished.err;
  EXPECT_EQ(rows[0].at("variant"), "ok");
  EXPECT_EQ(rows[0].at("status"), "ok") << rows[0].at("reason");
  EXPECT_EQ(rows[0].at("verified"), "true");
  EXPECT_NE(rows[0].at("items_per_s"), "");

  const auto& bad = rows[1];
  EXPECT_EQ(bad.at("variant"), expected.variant);
  EXPECT_EQ(bad.at("status"), expected.status);
  EXPECT_THAT(bad.at("reason"), HasSubstr(expected.reason));
  EXPECT_EQ(bad.at("verified"), "false");
  for (const char* column : {"repetitions", "real_time_s", "items_per_s", "items_per_s_stddev", "speedup"}) {
    EXPECT_EQ(bad.at(column), "") << column << ": a cell that is not ok has no throughput";
  }
  EXPECT_EQ(bad.at("workers") != "", expected.measured) << bad.at("workers");

  // Repetitions only of the ok cell: 2, as asked.
  const auto reps = repetitions(run_dir).rows;
  ASSERT_EQ(reps.size(), 2u);
  for (const auto& rep : reps) EXPECT_EQ(rep.at("variant"), "ok");
}

const Misbehaviour kMisbehaviours[] = {
    {"hang", "timeout", "2 s timeout", false},
    {"crash", "crashed", "SIGSEGV", false},
    {"wrong", "failed", "verification failed", true},
    {"throw", "failed", "selftest task threw on purpose", true},
};

INSTANTIATE_TEST_SUITE_P(Selftest, CellStatus, ::testing::ValuesIn(kMisbehaviours),
                         [](const ::testing::TestParamInfo<Misbehaviour>& test) {
                           return std::string(test.param.variant);
                         });

TEST(CellStatus, AllOkRunExitsZero) {
  TempDir dir;
  const auto out = dir / "out";
  const auto finished = run_concbench({"--workloads", "selftest/ok", "--models", "sequential,thread", "--cores", "1",
                                       "--out", out.string(), "--benchmark_min_time=0.01", "--benchmark_repetitions=1"},
                                      dir);
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  const auto rows = results(only_run_dir(out)).rows;
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) EXPECT_EQ(row.at("status"), "ok") << row.at("reason");
}

}  // namespace
}  // namespace concbench::testing
