#include "app/runner/runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/runner/cell_child.hpp"
#include "app/runner/cell_result_codec.hpp"
#include "app/runner/child_process.hpp"
#include "app/runner/estimate.hpp"
#include "app/runner/interrupt.hpp"
#include "app/runner/peer_options.hpp"
#include "app/runner/progress.hpp"
#include "app/runner/tick_calibration.hpp"
#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"
#include "harness/report/csv.hpp"
#include "harness/report/file_reporters.hpp"
#include "harness/report/machine_json.hpp"
#include "harness/report/result_row.hpp"
#include "harness/report/run_directory.hpp"
#include "harness/report/schema.hpp"
#include "harness/report/system_check.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;

std::string last_line_of(const fs::path& path) {
  std::ifstream in(path);
  std::string last;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) last = line;
  }
  return last;
}

std::vector<std::string> child_argv(const CellKey& key, const std::vector<int>& cpus, const fs::path& json,
                                    const RunOptions& options, const std::optional<TickCalibration>& tick) {
  std::vector<std::string> argv{"/proc/self/exe",
                                "__cell",
                                "--workload=" + key.workload,
                                "--variant=" + key.variant,
                                "--model=" + key.model,
                                "--cores=" + std::to_string(key.cores),
                                "--tasks=" + std::to_string(key.tasks),
                                "--params",
                                key.params.canonical(),  // CLI11 2.1: empty "--params=" eats the next arg
                                fmt::format("--cpus={}", fmt::join(cpus, ",")),
                                "--json=" + json.string()};
  for (const auto& flag : options.gbench_flags) argv.push_back("--gbench-flag=" + flag);
  if (tick && model_runs_ticks(key.model)) argv.push_back(fmt::format("--tick-ns={}", tick->tick_ns));
  if (options.cell_budget_s > 0) argv.push_back(fmt::format("--budget-s={}", options.cell_budget_s));
  if (is_external_model(key.model)) {
    for (auto& arg : peer_args(options.peers)) argv.push_back(std::move(arg));
  }
  if (options.slowdown && options.slowdown->matches(key)) {
    argv.push_back(fmt::format("--inject-slowdown-pct={}", options.slowdown->percent));
  }
  return argv;
}

/// What the runner knows of a cell once its child has ended.
CellResult interpret(const ChildOutcome& outcome, const fs::path& log, std::chrono::milliseconds timeout) {
  CellResult result;
  const auto last_words = [&] {
    const auto line = last_line_of(log);
    return line.empty() ? std::string{} : "; last output: " + line.substr(0, 300);
  };
  switch (outcome.end) {
    case ChildOutcome::End::timed_out:
      result.status = Status::timeout;
      result.reason = fmt::format("killed after the {} s timeout", static_cast<double>(timeout.count()) / 1000);
      return result;
    case ChildOutcome::End::interrupted:
      result.status = Status::interrupted;
      result.reason = "stopped by Ctrl-C or SIGTERM";
      return result;
    case ChildOutcome::End::failed_to_start:
      result.status = Status::crashed;
      result.reason = "could not start the cell: " + outcome.error;
      return result;
    case ChildOutcome::End::signaled:
      result.status = Status::crashed;
      result.reason = fmt::format("killed by signal {} (SIG{}){}", outcome.code,
                                  sigabbrev_np(outcome.code) ? sigabbrev_np(outcome.code) : "?", last_words());
      return result;
    case ChildOutcome::End::exited:
      break;
  }
  if (outcome.code != 0) {
    result.status = Status::crashed;
    result.reason = fmt::format("exited with code {}{}", outcome.code, last_words());
    return result;
  }
  try {
    return decode_cell_result(outcome.output);
  } catch (const std::exception& e) {
    result.status = Status::crashed;
    result.reason = fmt::format("exited without a result ({}){}", e.what(), last_words());
    return result;
  }
}

/// Rewrites the CSV at `path` keeping only the rows `keep` accepts (a missing or empty file is left as it is),
/// and returns the rows kept. When `header` is given, the file must have exactly it.
template <class Keep>
std::vector<csv::Row> keep_rows(const fs::path& path, const csv::Fields* header, Keep&& keep) {
  std::vector<csv::Row> kept;
  if (!fs::exists(path) || fs::file_size(path) == 0) return kept;
  // A row torn by a write that never finished is dropped with the other rows not kept: measured again.
  const auto table = csv::read_file(path, csv::TornTail::drop);
  if (header != nullptr && table.header != *header) {
    throw std::runtime_error(fmt::format("{}: written by another schema version", path.string()));
  }
  std::string text = csv::format_record(table.header) + "\n";
  for (const auto& row : table.rows) {
    if (!keep(row)) continue;
    csv::Fields fields;
    for (const auto& column : table.header) fields.push_back(row.at(column));
    text += csv::format_record(fields) + "\n";
    kept.push_back(row);
  }
  write_file_atomically(path, text);
  return kept;
}

/// What the runner keeps of a finished cell: what later rows compare with.
struct FinishedCell {
  std::size_t index = 0;  // in the plan
  Status status = Status::failed;
  std::optional<double> items_per_s;
};
using Finished = std::map<std::string, FinishedCell>;  // by the key's label

/// Rows already ok in a run being resumed, at their place in `plan`; every other row of it (and its
/// repetitions and metrics) is dropped, to be measured again.
Finished keep_ok_rows(const RunDirectory& dir, const std::vector<CellKey>& plan) {
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < plan.size(); ++i) index_of[plan[i].label()] = i;
  Finished ok;
  const auto kept = keep_rows(dir.results_csv(), &schema::results_columns(), [&](const csv::Row& r) {
    return r.at("status") == "ok" && index_of.contains(key_of(r).label());
  });
  for (const auto& row : kept) {
    const auto label = key_of(row).label();
    double items_per_s = 0;
    const auto& text = row.at("items_per_s");
    std::from_chars(text.data(), text.data() + text.size(), items_per_s);  // locale-free, like the writer
    ok[label] = {index_of.at(label), Status::ok, items_per_s};
  }
  keep_rows(dir.repetitions_csv(), nullptr, [&](const csv::Row& r) { return ok.contains(key_of(r).label()); });
  keep_rows(dir.metrics_csv(), nullptr, [&](const csv::Row& r) { return ok.contains(key_of(r).label()); });
  return ok;
}

/// One row from the trials of a chance-dependent cell. Any trial that failed, crashed or was interrupted
/// decides the row (something is wrong beyond chance); otherwise a deadlock in any trial makes the row
/// `deadlock` (the strategy can deadlock: no throughput), and only a cell that finished every trial is ok,
/// with the last trial's measurement. Both carry the share of trials that deadlocked.
CellResult combine_trials(const std::vector<CellResult>& trials) {
  const auto deadlocked = [](const CellResult& r) { return r.status == Status::deadlock; };
  const auto deadlocks = std::count_if(trials.begin(), trials.end(), deadlocked);
  const auto broken =
      std::find_if(trials.begin(), trials.end(), [](const CellResult& r) { return !is_result(r.status); });
  CellResult result = broken != trials.end() ? *broken
                      : deadlocks > 0        ? *std::find_if(trials.begin(), trials.end(), deadlocked)
                                             : trials.back();
  if (result.status == Status::deadlock) {
    result.reason = fmt::format("deadlocked in {} of {} trials; first: {}", deadlocks, trials.size(), result.reason);
  }
  result.metrics["trials"] = std::to_string(trials.size());
  result.metrics["deadlock_share"] =
      fmt::format("{:.3g}", static_cast<double>(deadlocks) / static_cast<double>(trials.size()));
  return result;
}

/// The throughput of `key`'s cell in this run, when it is there and ok.
std::optional<double> throughput_of(const Finished& finished, const CellKey& key) {
  const auto it = finished.find(key.label());
  if (it == finished.end() || it->second.status != Status::ok) return std::nullopt;
  return it->second.items_per_s;
}

/// What the row of `key` is compared with: its speedup base and its floor (benchmarks/workload.hpp floor_key),
/// both planned before it.
References references_of(const Finished& finished, const CellKey& key) {
  const auto base = key.speedup_base(model_param_names(key.model));
  const auto floor = floor_key(key);
  return {throughput_of(finished, base), floor ? throughput_of(finished, *floor) : std::nullopt, key == base};
}

/// Runs one cell in its child process(es): once, or --trials times for a chance-dependent cell.
std::pair<CellResult, ChildOutcome> run_cell(const RunOptions& options, const RunDirectory& dir, std::size_t index,
                                             const std::vector<int>& cpus, const std::optional<TickCalibration>& tick,
                                             const InterruptWatch& interrupt) {
  const auto& key = options.plan[index];
  const std::vector<int> cell_cpus(cpus.begin(), cpus.begin() + key.cores);
  const bool chancy = depends_on_chance(key);
  const int trials = chancy ? options.trials : 1;
  std::vector<CellResult> trial_results;
  ChildOutcome outcome;
  for (int trial = 0; trial < trials; ++trial) {
    auto argv = child_argv(key, cell_cpus, dir.cell_json(index), options, tick);
    if (chancy) argv.push_back(fmt::format("--trial={}", trial));
    outcome = run_child(argv, dir.cell_log(index), options.timeout, interrupt.fd());
    trial_results.push_back(interpret(outcome, dir.cell_log(index), options.timeout));
    const auto status = trial_results.back().status;
    if (status == Status::interrupted || status == Status::unsupported) break;  // no further trial can tell more
  }
  return {chancy ? combine_trials(trial_results) : trial_results.front(), outcome};
}

}  // namespace

int run_plan(const RunOptions& options) {
  RunColumns columns{"", read_machine_info()};
  const auto dir = options.resume_dir ? RunDirectory::open_existing(*options.resume_dir)
                                      : RunDirectory::create(options.out_parent, columns.machine.host);
  columns.run_id = dir.run_id();
  auto finished = options.resume_dir ? keep_ok_rows(dir, options.plan) : Finished{};
  if (!options.resume_dir) dir.write_plan_args(options.plan_args);

  RunFacts facts{
      columns.run_id, utc_timestamp(), options.command_line, "", {}, check_system(columns.machine, busy_share())};
  for (const auto& check : facts.system) {
    if (check.level != SystemCheck::Level::warning) continue;
    fmt::print(stderr, "concbench: warning: {}: {} ({})\n", check.name, check.state, check.advice);
  }
  // Models that run interpreted ticks need the tick's length on this machine: measured once, up front.
  std::optional<TickCalibration> tick;
  if (std::any_of(options.plan.begin(), options.plan.end(),
                  [](const CellKey& k) { return model_runs_ticks(k.model); })) {
    tick = calibrate_tick();
    facts.calibration = {{"gil_tick_ns", fmt::format("{:.4g}", tick->tick_ns)}, {"gil_tick_source", tick->source}};
  }
  std::vector<std::size_t> kept;
  for (const auto& [label, cell] : finished) kept.push_back(cell.index);
  std::sort(kept.begin(), kept.end());
  Reporters reporters;
  reporters.add(std::make_unique<MachineJsonReporter>(dir, columns.machine, facts));
  reporters.add(std::make_unique<CsvReporter>(dir, columns));
  reporters.add(std::make_unique<BenchmarkJsonReporter>(dir, kept));
  reporters.add(std::make_unique<Progress>(expected_cell_seconds(options), isatty(STDERR_FILENO) == 1));

  const std::vector<int> cpus = columns.machine.affinity;
  InterruptWatch interrupt;
  bool interrupted = false, broken = false;
  for (std::size_t index = 0; index < options.plan.size() && !interrupted; ++index) {
    const auto& key = options.plan[index];
    if (finished.contains(key.label())) {
      reporters.cell_skipped(index, key);
      continue;
    }
    reporters.cell_started(index, key);
    const auto [result, outcome] = run_cell(options, dir, index, cpus, tick, interrupt);
    const auto row = result_row(key, result, outcome.usage, references_of(finished, key), find_model(key.model));
    reporters.cell_finished({index, key, result, row});
    finished[key.label()] = {index, row.status, row.items_per_s};
    interrupted = row.status == Status::interrupted;
    broken = broken || is_broken(row.status);
  }
  reporters.run_finished();
  fmt::print(stdout, "{}\n", dir.path().string());
  std::fflush(stdout);
  if (interrupted) return kInterrupted;
  return broken ? kSomeFailed : kAllMeasured;
}

}  // namespace concbench
