#pragma once
/// `prodcons`: P producers and C consumers over the model's bounded channel of capacity B, M items per run.
/// Producer p sends the item ids [p·M/P, (p+1)·M/P), each stamped with the time it was sent; consumers
/// receive until the channel is closed and drained. The last producer to finish closes the channel, so it
/// is closed only after every send has returned. Variants name the shape (`1x1`, `1xN`, `Nx1`, `NxN`); the
/// counts are the parameters `producers` and `consumers` (tasks = producers + consumers).
/// Verified: every id consumed exactly once (count, sum of ids, sum of a hash of each id). Per-item
/// latency (send → receive) goes into one fixed-size histogram per consumer, merged only for the row.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "benchmarks/run_tally.hpp"
#include "benchmarks/workload.hpp"
#include "harness/stats/histogram.hpp"

namespace concbench {

WorkloadSpec prodcons_workload();

namespace prodcons {

/// Its bodies, one per kind of model (workload.hpp: Bindings, bindings_of), each defined in its own source:
/// prodcons_stackful.cpp, coroutine.cpp, prodcons_bare.cpp and external.cpp.
struct Bodies {
  static const CellMaker stackful, coroutine, bare, external;
};

struct Config {
  std::int64_t producers = 1;
  std::int64_t consumers = 1;
  std::int64_t capacity = 1;
  std::int64_t items = 1;

  static Config from(const CellKey& key);
};

/// What travels through the channel: the id and when its producer sent it.
struct Item {
  std::uint64_t id = 0;
  std::int64_t sent_ns = 0;
};

/// The clock of the latency figures: steady_clock, read once per item on each side.
inline std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// What was consumed: wrapping sums, so the order does not matter; a lost or a duplicated id changes all three.
struct Tally {
  std::uint64_t count = 0;
  std::uint64_t id_sum = 0;
  std::uint64_t hash_sum = 0;

  void add(std::uint64_t id) noexcept;
  void add(const Tally& other) noexcept;
  friend bool operator==(const Tally&, const Tally&) = default;
};

/// The tally of every id in [0, items) consumed once.
Tally reference(std::int64_t items);
Verdict check(const Tally& got, const Tally& expected);

/// A binding's way of consuming an item: `Honest` keeps every one. Tests plug in a broken one (a consumer that
/// drops an item) to see the cell fail.
struct Honest {
  static constexpr bool drops(std::uint64_t /*id*/) noexcept { return false; }
};

/// What every binding shares: the config, the reference, the producers' ranges and closing count, one slot
/// per consumer (tally and latency histogram, on its own cache lines), and the check of each run.
class Cell : public ConfiguredCell<Config, Tally> {
 public:
  explicit Cell(const CellKey& key);

  std::int64_t items_per_run() const override { return config().items; }

 protected:
  std::size_t tasks() const { return static_cast<std::size_t>(config().producers + config().consumers); }
  bool is_producer(std::size_t task) const { return task < static_cast<std::size_t>(config().producers); }
  std::size_t consumer_of(std::size_t task) const { return task - static_cast<std::size_t>(config().producers); }
  /// Producer p's ids: [first, last).
  std::uint64_t first_id(std::size_t producer) const;
  std::uint64_t last_id(std::size_t producer) const { return first_id(producer + 1); }

  void begin_run();
  /// Called by each producer once its last send returned: true for the last one, which closes the channel.
  bool producer_finished() noexcept {
    // acq_rel: the closer sees every other producer's sends completed before it closes.
    return producers_left_.fetch_sub(1, std::memory_order_acq_rel) == 1;
  }
  /// Consumer c received `item` at `received_ns`.
  void consumed(std::size_t consumer, const Item& item, std::int64_t received_ns) noexcept {
    auto& slot = slots_[consumer];
    slot.tally.add(item.id);
    const auto waited = received_ns - item.sent_ns;
    slot.latency.record(waited > 0 ? static_cast<std::uint64_t>(waited) : 0);
  }
  /// Consumer c's tally of a whole run, counted in the consumer and handed over once at its end (the floors:
  /// no per-item bookkeeping in the loop, no latency).
  void consumed_all(std::size_t consumer, const Tally& tally) noexcept { slots_[consumer].tally.add(tally); }
  void end_run(WorkerUse workers);

 private:
  std::string explain(const Tally& got) const override { return check(got, expected_).reason; }
  /// Latency percentiles over every run, from each consumer's histogram.
  void add_figures(CellFigures& figures) const override;

  struct alignas(64) ConsumerSlot {
    Tally tally;               // this run's
    stats::Histogram latency;  // every run's
  };

  Tally expected_;
  std::vector<ConsumerSlot> slots_;
  std::atomic<std::int64_t> producers_left_{0};
};

}  // namespace prodcons
}  // namespace concbench
