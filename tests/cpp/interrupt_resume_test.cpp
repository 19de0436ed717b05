// Ctrl-C stops a run cleanly (the running cell says `interrupted`, finished rows are kept) and --resume
// finishes it without measuring the ok cells again.
#include <signal.h>

#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/concbench_process.hpp"

namespace concbench::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// Waits until the run under `out` has `rows` rows in results.csv; returns its directory (empty on timeout).
fs::path wait_for_rows(const fs::path& out, std::size_t rows, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(out, ec)) {
      try {
        if (results(entry.path()).rows.size() >= rows) return entry.path();
      } catch (const std::runtime_error&) {
        // Not written yet.
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  return {};
}

/// Rows as "variant:status", in file order.
std::vector<std::string> statuses(const csv::Table& table) {
  std::vector<std::string> list;
  for (const auto& row : table.rows)
    list.push_back(row.at("workload") + "/" + row.at("variant") + ":" + row.at("status"));
  return list;
}

/// ok, then a hang (stopped while it runs), then a cell that never starts. The third cell is a different
/// workload: the plan holds each cell once, so a second selftest/ok would be the same cell.
const std::vector<std::string> kOkHangThenMore{"--workloads", "selftest/ok,selftest/hang,parallel/cpu",
                                               "--models",    "sequential",
                                               "--quick",     "--timeout",
                                               "60",          "--benchmark_min_time=0.01"};

std::vector<std::string> with_out(std::vector<std::string> args, const fs::path& out) {
  args.insert(args.end(), {"--out", out.string()});
  return args;
}

TEST(InterruptAndResume, InterruptKeepsFinishedRowsAndResumeFinishesTheRun) {
  TempDir dir;
  const auto out = dir / "out";
  ConcbenchProcess runner(with_out(kOkHangThenMore, out), dir.path());
  const auto run_dir = wait_for_rows(out, 1, 20s);
  ASSERT_FALSE(run_dir.empty()) << "the first row never appeared";
  runner.signal(SIGINT);
  const auto interrupted = runner.wait(20s);
  EXPECT_EQ(interrupted.exit_code, 130) << interrupted.err;
  EXPECT_EQ(interrupted.last_out_line(), run_dir.string());
  const auto after_interrupt = results(run_dir);
  EXPECT_THAT(statuses(after_interrupt), ::testing::ElementsAre("selftest/ok:ok", "selftest/hang:interrupted"));
  EXPECT_NE(after_interrupt.rows.at(1).at("reason"), "");

  const auto resumed = run_concbench({"--resume", run_dir.string(), "--timeout", "2"}, dir);
  EXPECT_EQ(resumed.exit_code, 1) << resumed.err;  // the hang now times out
  EXPECT_EQ(resumed.last_out_line(), run_dir.string());
  const auto after_resume = results(run_dir);
  EXPECT_THAT(statuses(after_resume),
              ::testing::ElementsAre("selftest/ok:ok", "selftest/hang:timeout", "parallel/cpu:ok"));
  // The ok row was kept, not measured again.
  EXPECT_EQ(after_resume.rows.at(0).at("timestamp"), after_interrupt.rows.at(0).at("timestamp"));
  EXPECT_EQ(after_resume.rows.at(0).at("items_per_s"), after_interrupt.rows.at(0).at("items_per_s"));

  // Repetitions: those of the two ok cells, each once.
  std::map<std::string, int> reps_per_cell;
  for (const auto& rep : repetitions(run_dir).rows) ++reps_per_cell[rep.at("workload") + "/" + rep.at("variant")];
  for (const auto& row : after_resume.rows) {
    if (row.at("status") != "ok") continue;
    EXPECT_EQ(reps_per_cell[row.at("workload") + "/" + row.at("variant")], std::stoi(row.at("repetitions")))
        << row.at("variant");
  }
  EXPECT_EQ(reps_per_cell.count("selftest/hang"), 0u);
}

TEST(InterruptAndResume, SigtermStopsTheRunLikeCtrlC) {
  TempDir dir;
  const auto out = dir / "out";
  ConcbenchProcess runner({"--workloads", "selftest/ok,selftest/hang", "--models", "sequential", "--timeout", "60",
                           "--out", out.string(), "--benchmark_min_time=0.01", "--benchmark_repetitions=1"},
                          dir.path());
  const auto run_dir = wait_for_rows(out, 1, 20s);
  ASSERT_FALSE(run_dir.empty()) << "the first row never appeared";
  runner.signal(SIGTERM);
  const auto finished = runner.wait(20s);
  EXPECT_EQ(finished.exit_code, 130) << finished.err;
  EXPECT_THAT(statuses(results(run_dir)), ::testing::ElementsAre("selftest/ok:ok", "selftest/hang:interrupted"));
}

TEST(InterruptAndResume, ResumeAfterTheRunnerWasKilledWithATornLastRow) {
  TempDir dir;
  const auto out = dir / "out";
  ConcbenchProcess runner(with_out(kOkHangThenMore, out), dir.path());
  const auto run_dir = wait_for_rows(out, 1, 20s);
  ASSERT_FALSE(run_dir.empty()) << "the first row never appeared";
  runner.signal(SIGKILL);  // no handler, no `interrupted` row: the hang's child dies with it (PDEATHSIG)
  const auto killed = runner.wait(20s);
  EXPECT_EQ(killed.exit_code, -1);
  EXPECT_THAT(statuses(results(run_dir)), ::testing::ElementsAre("selftest/ok:ok"));
  {
    // A write that never finished (a full disk): half of a row, no line end.
    std::ofstream results_csv(run_dir / "results.csv", std::ios::app);
    results_csv << "2,torn-run,2026-11-30T00:00:00Z,0123";
  }
  EXPECT_THROW(results(run_dir), std::runtime_error) << "a reader of the file sees it is torn";

  const auto resumed = run_concbench({"--resume", run_dir.string(), "--timeout", "2"}, dir);
  EXPECT_EQ(resumed.exit_code, 1) << resumed.err;  // the hang times out
  const auto after = results(run_dir);             // whole again: the torn row was dropped, every cell measured
  EXPECT_THAT(statuses(after), ::testing::ElementsAre("selftest/ok:ok", "selftest/hang:timeout", "parallel/cpu:ok"));
}

}  // namespace
}  // namespace concbench::testing
