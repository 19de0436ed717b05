#include "app/runner/cli.hpp"

#include <sched.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/check/check_command.hpp"
#include "app/runner/cell_child.hpp"
#include "app/runner/estimate.hpp"
#include "app/runner/gbench_flags.hpp"
#include "app/runner/peer_options.hpp"
#include "app/runner/plan.hpp"
#include "app/runner/rerun.hpp"
#include "app/runner/runner.hpp"
#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"
#include "harness/report/build_info.hpp"
#include "harness/report/run_directory.hpp"
#include "harness/report/system_check.hpp"

namespace concbench {
namespace {

constexpr int kUsageExit = 2;

struct Options {
  std::vector<std::string> workloads, models, sets;
  std::vector<int> cores;
  bool quick = false;
  bool list = false;
  std::optional<double> timeout_s;
  std::optional<int> trials;
  std::string out = "reports";
  std::string resume;
  std::string rerun;
  std::string inject_slowdown;
  std::vector<double> gil_interval_ms;
  std::string python;
  std::vector<std::string> peers;
};

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./,:") ==
                          std::string::npos) {
    return arg;
  }
  std::string quoted = "'";
  for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void add_run_options(CLI::App& app, Options& options) {
  app.add_option("--workloads", options.workloads, "Workloads to run, as NAME or NAME/VARIANT (default: all)")
      ->delimiter(',');
  app.add_option("--models", options.models, "Execution models (default: all)")->delimiter(',');
  app.add_option("--cores", options.cores, "Core counts to sweep (default: 1,2,4,... up to the CPUs available)")
      ->delimiter(',');
  app.add_option("--set", options.sets, "Sweep a workload parameter: K=V1,V2,... (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--quick", options.quick, "CI-size run: quick parameter sweeps, fewer repetitions (< 1 minute)");
  app.add_option("--out", options.out, "Parent directory of the report directory (default: reports)");
  app.add_option("--resume", options.resume, "Finish an interrupted run in this report directory");
  app.add_option("--rerun", options.rerun, "Repeat an earlier run (its recorded options) into a new report directory");
  app.add_flag("--list", options.list, "Print the planned cells without running them");
  app.add_option("--timeout", options.timeout_s, "Seconds a cell may run before it is killed (default: 120)");
  app.add_option("--gil-interval", options.gil_interval_ms,
                 "Switch interval(s) of the gil model in ms, like sys.setswitchinterval (default: 5)")
      ->delimiter(',');
  app.add_option("--trials", options.trials,
                 "Runs of each chance-dependent cell (philosophers/naive), each with its own seed; the row "
                 "reports the share that deadlocked (default: 5, with --quick 3)");
  app.add_option("--inject-slowdown", options.inject_slowdown,
                 "Testing aid: make each run of WORKLOAD[/VARIANT] PCT % longer (checks compare.py)");
  app.add_option("--python", options.python,
                 "The Python interpreter of the python-* models (default: /usr/bin/python3, else python3 on PATH)");
  app.add_option("--peer", options.peers,
                 "Testing and development aid: run PROGRAM as the peer of external model MODEL (MODEL=PROGRAM)")
      ->allow_extra_args(false);
}

PlanRequest plan_request(const Options& options) {
  PlanRequest request;
  request.workloads = options.workloads;
  request.models = options.models;
  request.cores = options.cores;
  for (const auto& set : options.sets) request.sets.push_back(parse_set(set));
  if (!options.gil_interval_ms.empty()) {
    // --gil-interval is --set gil_interval_us in the unit of sys.setswitchinterval's documentation.
    ParamSweep sweep{"gil_interval_us", {}};
    for (double ms : options.gil_interval_ms) {
      if (!(ms > 0)) throw UsageError(fmt::format("--gil-interval must be a positive number of ms, got {}", ms));
      sweep.second.push_back(std::to_string(std::max<long long>(1, std::llround(ms * 1000))));
    }
    request.sets.push_back(std::move(sweep));
  }
  request.quick = options.quick;
  request.cpus = usable_cpus();
  return request;
}

void print_plan(const std::vector<CellKey>& plan, const std::vector<double>& expected_s) {
  fmt::print("{:<4} {:<12} {:<10} {:<12} {:>5} {:>6}  {}\n", "#", "workload", "variant", "model", "cores", "tasks",
             "params");
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const auto& key = plan[i];
    fmt::print("{:<4} {:<12} {:<10} {:<12} {:>5} {:>6}  {}\n", i + 1, key.workload, key.variant, key.model, key.cores,
               key.tasks, key.params.canonical());
  }
  double total_s = 0;
  for (const double seconds : expected_s) total_s += seconds;
  // An estimate from the cells' time budgets; cells whose one run outlasts them take longer.
  fmt::print("{} cells, about {}\n", plan.size(), format_duration(total_s));
}

/// Checks that the parent of the report directory can be written, before any cell runs.
void check_writable(const std::string& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(out, ec);
  const auto probe = fs::path(out) / ".concbench-write-probe";
  FILE* file = ec ? nullptr : std::fopen(probe.c_str(), "w");
  if (file == nullptr) throw UsageError(fmt::format("--out {}: directory is not writable", out));
  std::fclose(file);
  fs::remove(probe, ec);
}

/// A comma-separated list with an empty item (`1,,2`, `thread,`) is a typo, not a shorter list; CLI11 drops
/// empty items silently, so the lists are checked as typed.
void refuse_empty_list_items(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    for (const std::string name : {"--workloads", "--models", "--cores", "--gil-interval", "--set"}) {
      std::optional<std::string> value;
      if (args[i] == name && i + 1 < args.size()) value = args[i + 1];
      if (args[i].starts_with(name + "=")) value = args[i].substr(name.size() + 1);
      if (!value) continue;
      const auto list = name == "--set" ? value->substr(value->find('=') + 1) : *value;
      if (list.empty() || list.front() == ',' || list.back() == ',' || list.find(",,") != std::string::npos) {
        throw UsageError(fmt::format("{} '{}': an empty item in the comma-separated list", name, *value));
      }
    }
  }
}

void parse_run_args_into(CLI::App& app, std::vector<std::string> args) {
  refuse_empty_list_items(args);
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector of arguments in reverse order
  app.parse(args);
}

/// Parses run options from `args` (without the program name), as recorded in plan.args.
void parse_run_args(const std::vector<std::string>& args, Options& options) {
  CLI::App app{"concbench"};
  add_run_options(app, options);
  parse_run_args_into(app, args);
}

/// Options that may be given with --resume or --rerun (the rest is replayed from the run's plan.args);
/// a rerun goes into a new directory, so it may also take --out.
void check_replay_alone(const CLI::App& app, const std::string& replay) {
  for (const char* name : {"--workloads", "--models", "--cores", "--set", "--quick", "--out", "--list",
                           "--inject-slowdown", "--gil-interval", "--trials", "--python", "--peer"}) {
    if (replay == "--rerun" && std::string_view(name) == "--out") continue;
    if (app.count(name) > 0) {
      throw UsageError(fmt::format("{} replays the run's own options: {} cannot be given with it", replay, name));
    }
  }
}

std::vector<std::string> recorded_args(const std::string& dir) {
  try {
    return RunDirectory::open_existing(dir).read_plan_args();
  } catch (const std::runtime_error& e) {
    throw UsageError(fmt::format("--resume: {}", e.what()));
  }
}

int run_main(Options options, std::vector<std::string> plan_args, std::vector<std::string> user_flags,
             const std::string& command_line) {
  RunOptions run;
  if (!options.resume.empty() || !options.rerun.empty()) {
    if (!options.resume.empty()) run.resume_dir = options.resume;
    plan_args = options.resume.empty() ? rerun_args(options.rerun) : recorded_args(options.resume);
    auto replayed = plan_args;
    user_flags = take_gbench_flags(replayed);
    Options recorded;
    parse_run_args(replayed, recorded);
    if (options.timeout_s) recorded.timeout_s = options.timeout_s;
    if (!options.rerun.empty()) recorded.out = options.out;  // the recorded --out was a path where it ran
    options = recorded;
  }
  if (options.timeout_s && !(*options.timeout_s > 0)) {
    throw UsageError(fmt::format("--timeout must be a positive number of seconds, got {}", *options.timeout_s));
  }
  if (!options.inject_slowdown.empty()) run.slowdown = parse_slowdown(options.inject_slowdown);
  if (options.trials && (*options.trials < 1 || *options.trials > 1000)) {
    throw UsageError(fmt::format("--trials must be a whole number from 1 to 1000, got {}", *options.trials));
  }
  run.trials = options.trials.value_or(options.quick ? 3 : 5);
  run.plan = build_plan(plan_request(options));
  run.peers = peer_settings(options.python, options.peers);
  run.gbench_flags = cell_gbench_flags(options.quick, user_flags);
  // Each cell's share of the plan's time (--quick: a minute, default: ten, for ~300 and ~600 cells on 2
  // cores): a slow cell gets fewer repetitions, never fewer than two. Repetitions asked for by name are kept.
  const bool repetitions_asked = std::any_of(user_flags.begin(), user_flags.end(), [](const std::string& flag) {
    return flag.starts_with("--benchmark_repetitions");
  });
  run.cell_budget_s = repetitions_asked ? 0 : options.quick ? 0.5 : 2.0;
  if (options.list) {
    print_plan(run.plan, expected_cell_seconds(run));
    return 0;
  }
  if (!run.resume_dir) check_writable(options.out);
  run.plan_args = plan_args;
  run.timeout = std::chrono::milliseconds(static_cast<long long>(options.timeout_s.value_or(120) * 1000));
  run.out_parent = options.out;
  run.command_line = command_line;
  return run_plan(run);
}

/// `concbench __cell ...`: the child side of one cell, exec'd by the runner.
int cell_main(std::vector<std::string> args) {
  CLI::App app{"concbench cell (internal)"};
  CellRequest request;
  std::string params, json;
  app.add_option("--workload", request.key.workload)->required();
  app.add_option("--variant", request.key.variant)->required();
  app.add_option("--model", request.key.model)->required();
  app.add_option("--cores", request.key.cores)->required();
  app.add_option("--tasks", request.key.tasks)->required();
  app.add_option("--params", params);
  app.add_option("--cpus", request.cpus)->delimiter(',')->required();
  app.add_option("--json", json)->required();
  app.add_option("--gbench-flag", request.gbench_flags);
  app.add_option("--inject-slowdown-pct", request.slowdown_pct);
  app.add_option("--tick-ns", request.calibration.tick_ns);
  app.add_option("--trial", request.trial);
  app.add_option("--budget-s", request.budget_s);
  app.add_option("--python", request.peers.python);
  std::vector<std::string> peers;
  app.add_option("--peer", peers);
  try {
    std::reverse(args.begin(), args.end());
    app.parse(args);
    request.key.params = Params::parse(params);
    for (const auto& peer : peers) {
      const auto eq = peer.find('=');
      if (eq == std::string::npos) throw std::invalid_argument("--peer expects MODEL=PROGRAM, got " + peer);
      request.peers.programs[peer.substr(0, eq)] = peer.substr(eq + 1);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "concbench __cell: error: {}\n", e.what());
    return kUsageExit;
  }
  request.json_path = json;
  return run_cell_child(request);
}

std::string version_text() {
  return fmt::format("concbench {} (git {}, {} build, {}, flags: {})", build_info::version, build_info::git_sha,
                     build_info::build_type, build_info::compiler, build_info::compiler_flags);
}

/// `concbench system`: every check of the machine's state, with advice (as `pyperf system show`).
int system_main(const std::vector<std::string>& args) {
  if (!args.empty()) {
    fmt::print(stderr, "concbench: error: system takes no arguments, got '{}'\n", args.front());
    return kUsageExit;
  }
  const auto machine = read_machine_info();
  fmt::print("{} ({}), CPUs {} of {}\n", machine.host, machine.cpu_model, fmt::join(machine.affinity, ","),
             machine.cpus_online);
  int warnings = 0;
  for (const auto& check : check_system(machine, busy_share())) {
    fmt::print("{:<8} {:<15} {}\n", level_name(check.level), check.name, check.state);
    if (!check.advice.empty()) fmt::print("{:<24} -> {}\n", "", check.advice);
    warnings += check.level == SystemCheck::Level::warning ? 1 : 0;
  }
  fmt::print("{}\n", warnings == 0
                         ? "Nothing here should make the figures unstable."
                         : fmt::format("{} warning(s): figures measured now may move from run to run.", warnings));
  return 0;
}

}  // namespace

int cli_main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "__cell") return cell_main({args.begin() + 1, args.end()});
  if (!args.empty() && args.front() == "check") return check::check_main({args.begin() + 1, args.end()});
  if (!args.empty() && args.front() == "system") return system_main({args.begin() + 1, args.end()});

  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i > 0 ? " " : "") + shell_quote(argv[i]);
  CLI::App app{
      "concbench: one harness, the same concurrency workloads, every execution model.\n"
      "Writes reports/<host>-<UTC time>/ (results.csv, repetitions.csv, machine.json, benchmark.json).\n"
      "Google Benchmark flags passed to every cell: --benchmark_repetitions=N, --benchmark_min_time=S,\n"
      "--benchmark_min_warmup_time=S, --benchmark_enable_random_interleaving[=true|false].\n"
      "Subcommands: concbench check philosophers --strategy S --n N (exhaustive deadlock check; runs no cell);\n"
      "concbench system (the machine's state that makes figures unstable, with advice)."};
  app.set_version_flag("--version", version_text());
  Options options;
  add_run_options(app, options);
  try {
    auto user_flags = take_gbench_flags(args);
    auto plan_args = args;
    parse_run_args_into(app, args);
    if (!options.resume.empty() && !options.rerun.empty()) throw UsageError("--resume and --rerun exclude each other");
    if (!options.resume.empty()) check_replay_alone(app, "--resume");
    if (!options.rerun.empty()) check_replay_alone(app, "--rerun");
    for (const auto& flag : user_flags) plan_args.push_back(flag);
    return run_main(options, plan_args, user_flags, command_line);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    fmt::print(stderr, "concbench: error: {} (see --help)\n", e.what());
    return kUsageExit;
  } catch (const std::exception& e) {
    fmt::print(stderr, "concbench: error: {}\n", e.what());
    return kUsageExit;
  }
}

}  // namespace concbench
