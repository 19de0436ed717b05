#pragma once
/// The table of one `philosophers` cell: what the philosophers report as they go (blocked, eating, done),
/// the invariant monitor that checks no two neighbours eat at once, and the figures kept across runs.
///
/// Each philosopher calls into its own seat only (its own cache line), but for the neighbours' eating flags
/// read by the invariant check and the counters the deadlock monitor reads from outside the model.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "harness/stats/histogram.hpp"

namespace concbench::philosophers {

/// What one run did wrong, if anything: neighbours that ate together, or a philosopher whose meal count
/// is not the one asked for.
struct RunCheck {
  std::int64_t violations = 0;
  std::optional<std::size_t> wrong_seat;
  std::int64_t wrong_meals = 0;

  bool right() const { return violations == 0 && !wrong_seat; }
};

/// A run that happened elsewhere (an external model's peer), as its philosophers would have left the table.
struct ReportedRun {
  std::vector<std::int64_t> meals;                   // per seat
  std::int64_t violations = 0;                       // neighbours that started eating while the other ate
  std::optional<std::vector<std::int64_t>> window;   // meals per seat when the first seat finished
  std::optional<std::vector<std::int64_t>> wait_ns;  // per seat, the total of its waits
};

/// The fairness figures across every run so far (docs/workloads.md says what each means).
struct Fairness {
  std::optional<double> meals;        // mean over runs of Jain's index of meals per seat when the first finished
  std::optional<double> wait;         // mean over runs of Jain's index of the total wait per seat
  std::optional<double> wait_p99_us;  // p99 of every hungry → eating wait
};

class Table {
 public:
  Table(std::size_t seats, std::int64_t meals);

  /// Before a run (no task running): every seat hungry, nothing eaten.
  void begin_run();

  // Called by the philosopher of `seat`, from inside the model.
  /// Around a wait that can block (a fork's lock, the waiter): the deadlock monitor counts blocked seats.
  void mark_blocked() { blocked_.fetch_add(1, std::memory_order_relaxed); }
  void mark_unblocked() { blocked_.fetch_sub(1, std::memory_order_relaxed); }
  /// The seat held both forks after waiting `wait` since it became hungry.
  void record_wait(std::size_t seat, std::chrono::nanoseconds wait);
  /// The invariant monitor: the seat starts eating; counts a violation if a neighbour is eating.
  void start_eating(std::size_t seat);
  /// The seat ends a meal (before it puts its forks back).
  void stop_eating(std::size_t seat);
  /// The seat has eaten all its meals and leaves the table.
  void leave() { at_table_.fetch_sub(1, std::memory_order_relaxed); }

  // Read by the deadlock monitor while a run is in progress (relaxed: it only looks for change).
  std::int64_t meals_done() const { return meals_done_.load(std::memory_order_relaxed); }
  int blocked() const { return blocked_.load(std::memory_order_relaxed); }
  int at_table() const { return at_table_.load(std::memory_order_relaxed); }

  /// Between begin_run and end_run, in place of the philosophers' own calls: what a peer reported (its sizes
  /// already checked against the seats).
  void replay(const ReportedRun& run);

  /// After a run (every task joined): checks it and adds it to the fairness figures.
  RunCheck end_run();
  Fairness fairness() const;

 private:
  /// One seat's state, on its own cache line: its philosopher writes it at every meal.
  struct alignas(64) Seat {
    std::atomic<bool> eating{false};
    std::atomic<std::int64_t> meals{0};
    std::int64_t wait_ns = 0;  // total of this run's waits
    stats::Histogram waits;    // every wait of every run, in ns (for the p99; written by this seat only)
  };

  std::size_t left_of(std::size_t seat) const { return (seat + seats_.size() - 1) % seats_.size(); }
  std::size_t right_of(std::size_t seat) const { return (seat + 1) % seats_.size(); }

  std::vector<Seat> seats_;
  std::int64_t meals_;
  std::atomic<std::int64_t> violations_{0};
  std::atomic<std::int64_t> meals_done_{0};
  std::atomic<int> blocked_{0};
  std::atomic<int> at_table_{0};
  std::atomic<bool> window_taken_{false};
  std::vector<double> window_;  // meals per seat when the first seat finished (written by that seat only)

  // Across runs (after each join, one thread).
  double meals_jain_sum_ = 0;
  double wait_jain_sum_ = 0;
  std::int64_t runs_ = 0;
};

}  // namespace concbench::philosophers
