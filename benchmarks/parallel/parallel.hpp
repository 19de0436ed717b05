#pragma once
/// `parallel`: embarrassingly parallel items of work, split evenly over the tasks.
///  - `cpu`: each item runs a fixed dependent hash chain; verified against the sequential checksum.
///  - `io`:  each item blocks for a fixed time (the model's blocking wait); verified by count and checksum.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "benchmarks/run_tally.hpp"
#include "benchmarks/splitmix.hpp"
#include "benchmarks/workload.hpp"
#include "harness/core/cell_key.hpp"

namespace concbench {

WorkloadSpec parallel_workload();

namespace parallel {

/// Its bodies, one per kind of model (workload.hpp: Bindings, bindings_of), each defined in its own source:
/// stackful.cpp, coroutine.cpp, bare.cpp and external.cpp.
struct Bodies {
  static const CellMaker stackful, coroutine, bare, external;
};

struct Config {
  bool io = false;
  std::int64_t items = 0;
  std::int64_t tasks = 0;
  std::int64_t work = 0;              // cpu: hash rounds per item
  std::chrono::microseconds wait{0};  // io: blocking time per item
  /// cpu, on models that run interpreted ticks (gil, gil-legacy): the rounds of one tick, i.e. of one
  /// bytecode of the real interpreter (docs/gil.md). 0 elsewhere: an item is one piece of work.
  std::int64_t rounds_per_tick = 0;

  static Config from(const CellKey& key);
};

/// What one task hands back: items done and their checksum (wrapping sums, so order does not matter).
struct SliceResult {
  std::uint64_t count = 0;
  std::uint64_t checksum = 0;
};

/// The start of an item's chain, and one round of it: splitmix64's finaliser. Each round depends on the
/// last, so the chain cannot be vectorised or folded, and its cost per round is the same on every model.
constexpr std::uint64_t chain_start(std::uint64_t item) { return item * kSplitmixGamma + 1; }
constexpr std::uint64_t chain_round(std::uint64_t x) { return splitmix_finalise(x); }

/// The CPU work of one item: `rounds` rounds of the chain.
std::uint64_t cpu_item(std::uint64_t item, std::int64_t rounds);

/// The same work and result, calling `tick()` after every `rounds_per_tick` rounds (and after the last).
template <class Tick>
std::uint64_t cpu_item_ticking(std::uint64_t item, std::int64_t rounds, std::int64_t rounds_per_tick, Tick&& tick) {
  std::uint64_t x = chain_start(item);
  for (std::int64_t done = 0; done < rounds;) {
    const auto end = done + rounds_per_tick < rounds ? done + rounds_per_tick : rounds;
    for (; done < end; ++done) x = chain_round(x);
    tick();
  }
  return x;
}

/// How many rounds of the chain take `tick_ns` on this machine (at least one): timed here, once per call.
std::int64_t rounds_per_tick(double tick_ns);

/// The answer every model must reproduce, computed by a plain loop.
SliceResult reference(const Config& config);

/// Task `task`'s share of the items: [first, last).
struct Range {
  std::int64_t first;
  std::int64_t last;
};
Range slice(const Config& config, std::int64_t task);

/// Task `task`'s items, one at a time: the one piece of every model's task body. A body loops
///   for (SliceWork work(config, task); !work.done(); work.finish()) if (work.waits()) <model's blocking wait>;
/// (run_slice below for a plain function; a coroutine body `co_await`s its wait in the same loop).
class SliceWork {
 public:
  SliceWork(const Config& config, std::int64_t task) : SliceWork(config, slice(config, task)) {}

  bool done() const { return item_ == last_; }
  /// Whether the current item blocks first (io): for `config.wait`, in the model's blocking wait.
  bool waits() const { return config_->io; }
  /// Completes the current item (its CPU work, for cpu) and moves to the next.
  void finish() {
    finish([] {});
  }
  /// The same, calling `tick()` after each tick of work (models/interpreted.hpp): within the cpu work when
  /// `config.rounds_per_tick` says so, and once per item in any case (the loop's back-edge).
  template <class Tick>
  void finish(Tick&& tick) {
    const auto item = static_cast<std::uint64_t>(item_);
    if (config_->io) {
      result_.checksum += item + 1;
    } else if (config_->rounds_per_tick > 0) {
      result_.checksum += cpu_item_ticking(item, config_->work, config_->rounds_per_tick, tick);
    } else {
      result_.checksum += cpu_item(item, config_->work);
    }
    tick();
    ++result_.count;
    ++item_;
  }
  const SliceResult& result() const { return result_; }

 private:
  SliceWork(const Config& config, Range range) : config_(&config), item_(range.first), last_(range.last) {}

  const Config* config_;
  std::int64_t item_;
  std::int64_t last_;
  SliceResult result_;
};

/// Runs task `task`'s items; `block(wait)` is the model's blocking wait, `tick()` its tick (a no-op but
/// for the global-lock models).
template <class Block, class Tick>
SliceResult run_slice(const Config& config, std::int64_t task, Block&& block, Tick&& tick) {
  SliceWork work(config, task);
  for (; !work.done(); work.finish(tick)) {
    if (work.waits()) block(config.wait);
  }
  return work.result();
}

/// Compares a run's combined result with the reference.
Verdict check(const SliceResult& got, const SliceResult& expected);

/// What the cells of every model family share: the config, the reference, one result slot per task, and the
/// check of every run against the reference. A family's cell runs the tasks (each stores its slice's result),
/// then calls end_run().
class Cell : public ConfiguredCell<Config, SliceResult> {
 public:
  explicit Cell(const CellKey& key);

  std::int64_t items_per_run() const override { return config().items; }

 protected:
  std::size_t tasks() const { return slots_.size(); }
  /// Task `task`'s result of the current run.
  void store(std::size_t task, const SliceResult& result) { slots_[task].value = result; }
  /// Combines the tasks' results and checks them against the reference (one comparison; the reason is
  /// formatted only after the timed loop, in verify()).
  void end_run(WorkerUse workers);

 private:
  /// Keeps each task's result on its own cache line, so the tasks do not false-share while they write.
  struct alignas(64) PaddedSlice {
    SliceResult value;
  };

  std::string explain(const SliceResult& got) const override { return check(got, expected_).reason; }
  void add_figures(CellFigures& figures) const override;

  SliceResult expected_;
  std::vector<PaddedSlice> slots_;
};

}  // namespace parallel
}  // namespace concbench
