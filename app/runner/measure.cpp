#include "app/runner/measure.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/runner/cell_sizing.hpp"
#include "harness/models/peer/peer.hpp"

namespace concbench {
namespace {

// The warm-up's length, at most (less when --benchmark_min_time asks less of a repetition).
constexpr double kWarmUpS = 0.05;

/// Google Benchmark's JSON reporter, writing to the cell's file, that also keeps the runs for the row.
class CollectingReporter final : public benchmark::JSONReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    auto named = runs;
    for (auto& run : named) {
      // The iterations and repetitions the warm-up chose are not part of the cell's identity: without them
      // the name stays the key's label, so Google Benchmark's compare.py pairs two runs of a cell.
      run.run_name.iterations.clear();
      run.run_name.repetitions.clear();
      if (run.run_type == Run::RT_Iteration) collected.push_back(run);
    }
    JSONReporter::ReportRuns(named);
  }
  std::vector<Run> collected;
};

/// Why runs of a cell stopped early.
struct Failure {
  std::string message;
  bool deadlock = false;
  bool crashed = false;  // an external model's peer ended
};

/// Runs `runs()`; an exception becomes a Failure (an exception escaping a benchmark aborts the process).
template <class Runs>
std::optional<Failure> guarded(Runs&& runs) {
  try {
    runs();
    return std::nullopt;
  } catch (const DeadlockError& e) {
    // A model that sees its tasks can never finish says so (the coroutine loop, sequential): a result of the
    // strategy, not an error of the harness.
    return Failure{std::string("deadlock: ") + e.what(), true};
  } catch (const PeerError& e) {
    // The peer's reason names it already.
    return Failure{e.what(), false, e.crashed()};
  } catch (const std::exception& e) {
    return Failure{std::string("exception: ") + e.what()};
  } catch (...) {
    return Failure{"exception of unknown type"};
  }
}

/// Untimed runs before Google Benchmark's: the first run in a fresh process pays for page faults and first
/// thread creations, and the others tell how long one run takes (their mean, over about `warm_up_s`). A
/// cold run that alone lasts `warm_up_s` is estimate enough: a long cell is not run twice more. Their
/// results are verified like every other run.
std::optional<Failure> warm_up(CellRun& cell, double warm_up_s, double& run_s) {
  using Clock = std::chrono::steady_clock;
  return guarded([&] {
    const auto cold_start = Clock::now();
    cell.run_once();
    run_s = std::chrono::duration<double>(Clock::now() - cold_start).count();
    if (run_s >= warm_up_s) return;
    const auto start = Clock::now();
    int runs = 0;
    double elapsed = 0;
    do {
      cell.run_once();
      ++runs;
      elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < warm_up_s);
    run_s = elapsed / runs;
  });
}

/// `manual`: the cell times its runs itself (CellRun::own_run_seconds), Google Benchmark takes its time.
/// `failed`: the first failure; a repetition after it is not run (a deadlocked peer has gone: running it
/// again would only hide the deadlock behind the peer's absence).
void run_cell(benchmark::State& state, CellRun& cell, bool manual, std::optional<Failure>& failed) {
  if (failed) {
    state.SkipWithError(failed->message.c_str());
    return;
  }
  if (const auto failure = guarded([&] {
        for (auto _ : state) {
          cell.run_once();
          if (manual) state.SetIterationTime(cell.own_run_seconds().value_or(0));
        }
      })) {
    failed = failure;
    state.SkipWithError(failure->message.c_str());
    return;
  }
  // Outside the timed loop: a wrong answer makes the cell fail, never look fast.
  if (const auto verdict = cell.verify(); !verdict.ok) {
    state.SkipWithError(("verification failed: " + verdict.reason).c_str());
    return;
  }
  state.SetItemsProcessed(state.iterations() * cell.items_per_run());
}

std::string library_build_type(const std::filesystem::path& json_path) {
  std::ifstream in(json_path);
  const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return {};
  return doc.value("/context/library_build_type"_json_pointer, std::string{});
}

}  // namespace

Measurement measure(CellRun& cell, const std::string& name, const std::vector<std::string>& flags,
                    const std::filesystem::path& json_path, double budget_s) {
  Measurement measurement;
  // The runner checked the flags (gbench_flags.cpp): a value that does not parse here cannot come.
  const auto min_time = parse_min_time(gbench_flag_value(flags, "benchmark_min_time").value_or("0.5")).value();
  const int repetitions = std::stoi(gbench_flag_value(flags, "benchmark_repetitions").value_or("1"));
  double run_s = 0;
  const double warm_up_s = min_time.iterations ? 0 : std::min(min_time.seconds, kWarmUpS);  // 0: one cold run
  if (const auto failure = warm_up(cell, warm_up_s, run_s)) {
    measurement.error = failure->message;
    measurement.deadlock = failure->deadlock;
    measurement.crashed = failure->crashed;
    return measurement;
  }
  const bool manual = cell.own_run_seconds().has_value();  // known after the warm-up's runs
  const auto sizing = size_cell(run_s, min_time, repetitions, budget_s);

  // `Nx` is 1.8 syntax that 1.7.1 would misread; Iterations() below already says it.
  std::vector<std::string> args{"concbench"};
  std::copy_if(flags.begin(), flags.end(), std::back_inserter(args),
               [](const std::string& flag) { return !flag.starts_with("--benchmark_min_time="); });
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());

  std::optional<Failure> failed;
  auto* benchmark = benchmark::RegisterBenchmark(
      name.c_str(), [&cell, manual, &failed](benchmark::State& state) { run_cell(state, cell, manual, failed); });
  if (manual) {
    benchmark->UseManualTime();
  } else {
    benchmark->UseRealTime();
  }
  benchmark
      ->MeasureProcessCPUTime()  // the cell's work runs on many threads
      ->Iterations(sizing.iterations)
      ->Repetitions(sizing.repetitions)
      ->Unit(benchmark::kMillisecond);

  std::ofstream json(json_path);
  std::ostringstream context_notes;  // the "built as DEBUG" banner: recorded in machine.json instead
  CollectingReporter reporter;
  reporter.SetOutputStream(&json);
  reporter.SetErrorStream(&context_notes);
  const auto benchmarks_run = benchmark::RunSpecifiedBenchmarks(&reporter);  // calls Finalize itself
  json.close();
  benchmark::Shutdown();

  measurement.gbench_library_build_type = library_build_type(json_path);
  if (benchmarks_run == 0 || reporter.collected.empty()) {
    measurement.error = "Google Benchmark made no runs";
    return measurement;
  }
  for (const auto& run : reporter.collected) {
    if (run.error_occurred) {
      measurement.error = run.error_message;
      measurement.deadlock = failed && failed->deadlock;
      measurement.crashed = failed && failed->crashed;
      return measurement;
    }
    Repetition repetition;
    repetition.iterations = run.iterations;
    repetition.real_time_s = run.real_accumulated_time / static_cast<double>(run.iterations);
    repetition.cpu_time_s = run.cpu_accumulated_time / static_cast<double>(run.iterations);
    repetition.items_per_s = static_cast<double>(run.iterations * cell.items_per_run()) / run.real_accumulated_time;
    measurement.repetitions.push_back(repetition);
  }
  measurement.ok = true;
  return measurement;
}

}  // namespace concbench
