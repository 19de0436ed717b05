#pragma once
/// `philosophers`: N philosophers round a table, one fork between each pair of neighbours, M meals each.
/// A philosopher is hungry, takes two forks (the model's own mutexes), eats, puts them back, thinks.
/// The variants are the strategies for taking the forks (docs/workloads.md):
///  - `naive`: left fork, then right: every philosopher holding its left fork is a deadlock.
///  - `ordered`: the lower-numbered fork first (resource ordering): no cycle of waits, no deadlock.
///  - `waiter`: an arbitrator admits at most N − 1 to the table at once (a channel of capacity N − 1 used as
///    a counting semaphore), then left, then right.
///  - `trylock`: left, then *try* right; on failure put left back and back off for a seeded random time.
/// Verified by an invariant monitor (table.hpp), not assumed; a run that stops making progress is ended by
/// the deadlock monitor (deadlock_monitor.hpp) with `status=deadlock`.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "benchmarks/workload.hpp"
#include "harness/core/cell_key.hpp"

namespace concbench {

WorkloadSpec philosophers_workload();

namespace philosophers {

/// Its bodies, one per kind of model (workload.hpp: Bindings), defined in stackful.cpp and coroutine.cpp. No floor, no
/// bare body.
extern const CellMaker stackful_body;
extern const CellMaker coroutine_body;
extern const CellMaker external_body;  // external.cpp

enum class Strategy {
  kNaive,
  kOrdered,
  kWaiter,
  kTrylock,
  /// Test-only (variant `no-forks`, not in the spec's variants, so no plan can name it): takes no fork at
  /// all, so neighbours eat together and the invariant monitor must catch it.
  kNoForks,
};

struct Config {
  Strategy strategy = Strategy::kNaive;
  std::size_t philosophers = 5;
  std::int64_t meals = 1;
  std::chrono::microseconds think{0};    // mean thinking time after a meal (jittered ±50% from the seed)
  std::chrono::microseconds eat{0};      // eating time, forks held
  std::chrono::microseconds backoff{0};  // trylock: longest back-off after a failed try (seeded, ≥ 1 µs)
  bool yield_between = true;             // a yield between taking the first and the second fork
  std::chrono::microseconds gap{0};      // a blocking wait between the two forks (forces the naive deadlock)
  std::uint64_t seed = 1;
  std::chrono::milliseconds deadlock{200};  // no meal for this long, all blocked: a deadlock

  /// Throws std::invalid_argument for an unknown variant.
  static Config from(const CellKey& key);
};

/// The two forks seat `seat` takes, in the order it takes them. Fork i lies between seats i − 1 and i:
/// seat i's left fork is i, its right fork i + 1 (mod N).
struct ForkPair {
  std::size_t first;
  std::size_t second;
};
ForkPair forks_for(const Config& config, std::size_t seat);

/// A small seeded generator (splitmix64) for think-time and back-off jitter, one per philosopher and run.
class Jitter {
 public:
  Jitter(std::uint64_t seed, std::uint64_t run, std::size_t seat);
  /// Uniform in [low, high] (whole microseconds).
  std::chrono::microseconds between(std::chrono::microseconds low, std::chrono::microseconds high);
  std::chrono::microseconds think(const Config& config) { return between(config.think / 2, config.think * 3 / 2); }
  std::chrono::microseconds backoff(const Config& config) {
    return between(std::chrono::microseconds(1), config.backoff);
  }

 private:
  std::uint64_t state_;
};

}  // namespace philosophers
}  // namespace concbench
