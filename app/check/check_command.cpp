#include "app/check/check_command.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

#include <fmt/format.h>

#include "app/check/explorer.hpp"

namespace concbench::check {
namespace {

void print_steps(std::FILE* out, const Protocol& protocol, const std::vector<Step>& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) fmt::print(out, "  {}. {}\n", i + 1, protocol.describe(steps[i]));
}

}  // namespace

int check_philosophers(Strategy strategy, int n, std::FILE* out) {
  const PhilosophersModel model(strategy, n);
  const Exploration found = explore(model);
  fmt::print(out, "philosophers, strategy {}, N = {}: ", strategy_name(strategy), n);
  if (found.deadlock) {
    fmt::print(out, "deadlock reachable in {} steps (a shortest path; {} states explored):\n", found.deadlock->size(),
               found.states);
    print_steps(out, model, *found.deadlock);
    fmt::print(out, "then no philosopher can take a step.\n");
    return kDeadlockExit;
  }
  fmt::print(out, "deadlock-free ({} states explored: every reachable state has a step)\n", found.states);
  if (!found.livelock) {
    fmt::print(out, "no livelock: every cycle of states in which all philosophers move includes a meal.\n");
    return kDeadlockFreeExit;
  }
  const Livelock& livelock = *found.livelock;
  fmt::print(out,
             "warning: livelock reachable: a cycle of {} steps in which every philosopher moves and no meal "
             "completes, repeatable forever; in the workload only the back-off's jitter breaks it.\n",
             livelock.cycle.size());
  if (livelock.prefix.empty()) {
    fmt::print(out, "the cycle starts in the initial state:\n");
  } else {
    fmt::print(out, "reached in {} steps:\n", livelock.prefix.size());
    print_steps(out, model, livelock.prefix);
    fmt::print(out, "then the cycle:\n");
  }
  print_steps(out, model, livelock.cycle);
  return kDeadlockFreeExit;
}

int check_main(std::vector<std::string> args) {
  CLI::App app{
      "Exhaustive check: explores every interleaving of a workload's protocol (docs/workloads.md).\n"
      "Exit codes: 0 deadlock-free, 1 deadlock reachable, 2 bad input.",
      "concbench check"};
  app.require_subcommand(1);
  auto* philosophers = app.add_subcommand(
      "philosophers",
      "Prints \"deadlock reachable\" with a shortest path to it, or \"deadlock-free\" with the number "
      "of states explored (and a livelock cycle as a warning)");
  std::string strategy_text;
  int n = 5;
  philosophers->add_option("--strategy", strategy_text, "One of: " + strategy_names())->required();
  philosophers->add_option("--n", n,
                           fmt::format("Philosophers, {}..{} (default 5)", kMinPhilosophers, kMaxPhilosophers));
  try {
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector of arguments in reverse order
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    fmt::print(stderr, "concbench check: error: {} (see concbench check --help)\n", e.what());
    return kBadInputExit;
  }
  const auto strategy = parse_strategy(strategy_text);
  if (!strategy) {
    fmt::print(stderr, "concbench check: error: unknown strategy '{}' (known: {})\n", strategy_text, strategy_names());
    return kBadInputExit;
  }
  if (n < kMinPhilosophers || n > kMaxPhilosophers) {
    fmt::print(stderr, "concbench check: error: --n must be in {}..{}, got {}\n", kMinPhilosophers, kMaxPhilosophers,
               n);
    return kBadInputExit;
  }
  return check_philosophers(*strategy, n, stdout);
}

}  // namespace concbench::check
