#include "benchmarks/philosophers/philosophers.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "benchmarks/splitmix.hpp"

namespace concbench {

namespace philosophers {
namespace {

Strategy strategy_of(const std::string& variant) {
  if (variant == "naive") return Strategy::kNaive;
  if (variant == "ordered") return Strategy::kOrdered;
  if (variant == "waiter") return Strategy::kWaiter;
  if (variant == "trylock") return Strategy::kTrylock;
  if (variant == "no-forks") return Strategy::kNoForks;
  throw std::invalid_argument("philosophers: unknown strategy " + variant);
}

}  // namespace

Config Config::from(const CellKey& key) {
  Config config;
  config.strategy = strategy_of(key.variant);
  config.philosophers = static_cast<std::size_t>(key.tasks);
  config.meals = key.params.get_int("meals");
  config.think = std::chrono::microseconds(key.params.get_int("think_us"));
  config.eat = std::chrono::microseconds(key.params.get_int("eat_us"));
  if (config.strategy == Strategy::kTrylock)
    config.backoff = std::chrono::microseconds(key.params.get_int("backoff_us"));
  config.yield_between = key.params.get_int("yield_between") != 0;
  config.gap = std::chrono::microseconds(key.params.get_int("gap_us"));
  config.seed = static_cast<std::uint64_t>(key.params.get_int("seed"));
  config.deadlock = std::chrono::milliseconds(key.params.get_int("deadlock_ms"));
  return config;
}

ForkPair forks_for(const Config& config, std::size_t seat) {
  const std::size_t left = seat;
  const std::size_t right = (seat + 1) % config.philosophers;
  if (config.strategy == Strategy::kOrdered) return {std::min(left, right), std::max(left, right)};
  return {left, right};
}

Jitter::Jitter(std::uint64_t seed, std::uint64_t run, std::size_t seat) : state_(seed) {
  // Mix the run and the seat in, so every philosopher of every run draws its own sequence.
  state_ ^= splitmix_next(run) + 0x632be59bd9b4e019ULL * (seat + 1);
}

std::chrono::microseconds Jitter::between(std::chrono::microseconds low, std::chrono::microseconds high) {
  if (high <= low) return low;
  const auto span = static_cast<std::uint64_t>((high - low).count()) + 1;
  return low + std::chrono::microseconds(static_cast<std::int64_t>(splitmix_next(state_) % span));
}

}  // namespace philosophers

WorkloadSpec philosophers_workload() {
  WorkloadSpec spec{
      .name = "philosophers",
      .description = "dining philosophers: N tasks, a fork (the model's mutex) between neighbours, M meals each",
      .variants = {"naive", "ordered", "waiter", "trylock"}};
  spec.trial_variants = {"naive"};  // whether it deadlocks is a matter of timing: --trials runs it R times
  // A default run is about 5–30 ms: 5 × 20 meals of 50 µs eating and ~50 µs thinking, all blocking waits.
  spec.params = {
      {"tasks", "philosophers at the table (one task each)", "tasks", {"5"}, {}, 2, 64, {}},
      {"meals", "meals each philosopher eats per run", "meals", {"20"}, {"10"}, 1, 1000000, {}},
      {"think_us",
       "mean thinking time after a meal (uniform in [½, 1½]× this, from the seed); a blocking wait",
       "us",
       {"50"},
       {},
       0,
       10000000,
       {}},
      {"eat_us", "eating time, both forks held; a blocking wait", "us", {"50"}, {}, 0, 10000000, {}},
      {"backoff_us",
       "trylock: longest back-off after a failed try (uniform in [1, this] µs, from the seed)",
       "us",
       {"50"},
       {},
       1,
       10000000,
       {"trylock"}},
      {"yield_between",
       "1: yield between taking the first and the second fork (so cooperative models reach "
       "the naive deadlock); 0: no yield",
       "flag",
       {"1"},
       {},
       0,
       1,
       {}},
      {"gap_us",
       "a blocking wait between taking the first and the second fork: longer than the whole table "
       "takes to sit down, it makes naive deadlock on every concurrent model (a forced deadlock)",
       "us",
       {"0"},
       {},
       0,
       10000000,
       {}},
      {"seed",
       "seed of the think-time and back-off jitter (trial t of a cell runs with seed + t)",
       "seed",
       {"1"},
       {},
       0,
       1000000000,
       {}},
      {"deadlock_ms",
       "no meal for this long while every philosopher is blocked: status=deadlock",
       "ms",
       {"200"},
       {"100"},
       1,
       600000,
       {}},
  };
  spec.check = [](const CellKey& key) -> std::string {
    const auto eat_us = key.params.get_int("eat_us");
    if (key.params.get_int("deadlock_ms") * 1000 <= eat_us) {
      return fmt::format("deadlock_ms ({}) must exceed the eating time ({} us): a fork is held that long",
                         key.params.get_int("deadlock_ms"), eat_us);
    }
    return {};
  };
  spec.bindings = {.stackful = philosophers::stackful_body,
                   .coroutine = philosophers::coroutine_body,
                   .external = philosophers::external_body};
  return spec;
}

}  // namespace concbench
