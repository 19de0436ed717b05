#include "runner/measure.hpp"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace concbench {
namespace {

/// Google Benchmark's JSON reporter, writing to the cell's file, that also keeps the runs for the row.
class CollectingReporter final : public benchmark::JSONReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      if (run.run_type == Run::RT_Iteration) collected.push_back(run);
    }
    JSONReporter::ReportRuns(runs);
  }
  std::vector<Run> collected;
};

void run_cell(benchmark::State& state, CellRun& cell, bool& deadlock) {
  try {
    for (auto _ : state) cell.run_once();
  } catch (const DeadlockError& e) {
    // A model that sees its tasks can never finish says so (the coroutine loop, sequential): a result of the
    // strategy, not an error of the harness.
    deadlock = true;
    state.SkipWithError((std::string("deadlock: ") + e.what()).c_str());
    return;
  } catch (const std::exception& e) {
    state.SkipWithError((std::string("exception: ") + e.what()).c_str());
    return;
  } catch (...) {
    state.SkipWithError("exception of unknown type");
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
                    const std::filesystem::path& json_path) {
  std::vector<std::string> args{"concbench"};
  args.insert(args.end(), flags.begin(), flags.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  int argc = static_cast<int>(argv.size());
  benchmark::Initialize(&argc, argv.data());

  bool deadlock = false;
  benchmark::RegisterBenchmark(name.c_str(),
                               [&cell, &deadlock](benchmark::State& state) { run_cell(state, cell, deadlock); })
      ->UseRealTime()
      ->MeasureProcessCPUTime()  // the cell's work runs on many threads
      ->Unit(benchmark::kMillisecond);

  std::ofstream json(json_path);
  std::ostringstream context_notes;  // the "built as DEBUG" banner: recorded in machine.json instead
  CollectingReporter reporter;
  reporter.SetOutputStream(&json);
  reporter.SetErrorStream(&context_notes);
  const auto benchmarks_run = benchmark::RunSpecifiedBenchmarks(&reporter);  // calls Finalize itself
  json.close();
  benchmark::Shutdown();

  Measurement measurement;
  measurement.gbench_library_build_type = library_build_type(json_path);
  if (benchmarks_run == 0 || reporter.collected.empty()) {
    measurement.error = "Google Benchmark made no runs";
    return measurement;
  }
  for (const auto& run : reporter.collected) {
    if (run.error_occurred) {
      measurement.error = run.error_message;
      measurement.deadlock = deadlock;
      return measurement;
    }
    Repetition repetition;
    repetition.iterations = run.iterations;
    repetition.real_time_s = run.real_accumulated_time / static_cast<double>(run.iterations);
    repetition.cpu_time_s = run.cpu_accumulated_time / static_cast<double>(run.iterations);
    repetition.items_per_s =
        static_cast<double>(run.iterations * cell.items_per_run()) / run.real_accumulated_time;
    measurement.repetitions.push_back(repetition);
  }
  measurement.ok = true;
  return measurement;
}

}  // namespace concbench
