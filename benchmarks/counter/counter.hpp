#pragma once
/// `counter`: T tasks each add 1 to a counter K times; the total must be T·K.
///  - `atomic`: one shared std::atomic, fetch_add.
///  - `mutex`: one shared plain counter under the model's own mutex.
///  - `sharded`: a counter per task, each on its own cache line, summed after the join.
///  - `sharded-packed`: the same counters side by side in one cache line: false sharing made visible.
/// On the global-lock models each add is one tick (one bytecode's worth of interpreted work).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "benchmarks/run_tally.hpp"
#include "benchmarks/workload.hpp"
#include "harness/core/cell_key.hpp"

namespace concbench {

WorkloadSpec counter_workload();

namespace counter {

/// Its bodies, one per kind of model (workload.hpp: Bindings, bindings_of), each defined in its own source:
/// stackful.cpp, coroutine.cpp, bare.cpp and external.cpp.
struct Bodies {
  static const CellMaker stackful, coroutine, bare, external;
};

enum class Variant { atomic, mutex, sharded, sharded_packed };

/// A named constant, not std::hardware_destructive_interference_size (-Winterference-size on GCC 12).
inline constexpr std::size_t kCacheLine = 64;

struct Config {
  Variant variant = Variant::atomic;
  std::int64_t tasks = 1;
  std::int64_t adds = 0;  // K, per task

  static Config from(const CellKey& key);
  std::int64_t expected_total() const { return tasks * adds; }
};

/// Every counter a run writes: the shared atomic, the shared plain one (under a mutex), and one per task.
class Counters {
 public:
  explicit Counters(const Config& config);

  /// Zeroes every counter (before each run).
  void reset();
  /// The shared counter of `atomic`.
  std::atomic<std::int64_t>& shared() { return shared_; }
  /// The shared counter of `mutex`: written only under the mutex.
  std::int64_t& guarded() { return guarded_; }
  /// Task `task`'s counter: alone on its cache line (`sharded`) or packed with its neighbours'.
  std::atomic<std::int64_t>& shard(std::int64_t task) const;
  /// Every counter added up, after the join.
  std::int64_t total() const;

 private:
  struct alignas(kCacheLine) Line {
    std::atomic<std::int64_t> words[kCacheLine / sizeof(std::atomic<std::int64_t>)];
  };
  static constexpr std::int64_t kPerLine = static_cast<std::int64_t>(kCacheLine / sizeof(std::atomic<std::int64_t>));

  bool packed_;
  std::int64_t tasks_;
  alignas(kCacheLine) std::atomic<std::int64_t> shared_{0};
  alignas(kCacheLine) std::int64_t guarded_ = 0;
  std::unique_ptr<Line[]> lines_;
};

/// The adds of one task for the variants without a mutex, calling `tick()` after each add. Its own counter
/// is written only by its task, so a relaxed load and store suffice (no read-modify-write): each add is a
/// real store to the shared cache line, which is what makes false sharing visible.
/// (The bound is read once: a store to an atomic may alias `config`, so the compiler would reload it per add.)
template <class Tick>
void add_without_mutex(const Config& config, Counters& counters, std::int64_t task, Tick&& tick) {
  const auto adds = config.adds;
  if (config.variant == Variant::atomic) {
    auto& shared = counters.shared();
    for (std::int64_t k = 0; k < adds; ++k) {
      shared.fetch_add(1, std::memory_order_relaxed);  // the join orders every add before the sum
      tick();
    }
  } else {
    auto& mine = counters.shard(task);
    for (std::int64_t k = 0; k < adds; ++k) {
      mine.store(mine.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      tick();
    }
  }
}

/// The adds of one task for `mutex`, with any Lockable (the model's mutex).
template <class Mutex, class Tick>
void add_with_mutex(const Config& config, Counters& counters, Mutex& mutex, Tick&& tick) {
  const auto adds = config.adds;
  for (std::int64_t k = 0; k < adds; ++k) {
    {
      std::lock_guard lock(mutex);
      ++counters.guarded();
    }
    tick();
  }
}

/// What every binding shares: the config, the counters, and the check of every run's total. A binding
/// resets the counters (start_run), runs the tasks, then calls end_run with the OS threads it used.
class Cell : public ConfiguredCell<Config, std::int64_t> {
 public:
  explicit Cell(const CellKey& key);

  std::int64_t items_per_run() const override { return config().expected_total(); }

 protected:
  Counters& counters() { return counters_; }
  void start_run() { counters_.reset(); }
  void end_run(WorkerUse workers);

 private:
  std::string explain(const std::int64_t& total) const override;

  Counters counters_;
};

}  // namespace counter
}  // namespace concbench
