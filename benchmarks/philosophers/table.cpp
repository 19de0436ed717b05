#include "benchmarks/philosophers/table.hpp"

#include <algorithm>

#include "harness/stats/fairness.hpp"

namespace concbench::philosophers {

Table::Table(std::size_t seats, std::int64_t meals) : seats_(seats), meals_(meals), window_(seats, 0.0) {}

void Table::begin_run() {
  for (auto& seat : seats_) {
    seat.eating.store(false, std::memory_order_relaxed);
    seat.meals.store(0, std::memory_order_relaxed);
    seat.wait_ns = 0;
  }
  std::fill(window_.begin(), window_.end(), 0.0);
  violations_.store(0, std::memory_order_relaxed);
  meals_done_.store(0, std::memory_order_relaxed);
  blocked_.store(0, std::memory_order_relaxed);
  at_table_.store(static_cast<int>(seats_.size()), std::memory_order_relaxed);
  window_taken_.store(false, std::memory_order_relaxed);
  // The tasks are spawned after this: the spawn orders these stores before their first access.
}

void Table::record_wait(std::size_t seat, std::chrono::nanoseconds wait) {
  auto& mine = seats_[seat];
  mine.wait_ns += wait.count();
  mine.waits.record(static_cast<std::uint64_t>(wait.count()));
}

void Table::start_eating(std::size_t seat) {
  // seq_cst store then seq_cst loads (Dekker's pattern): of two neighbours that start eating at the same
  // time, at least one sees the other's flag, so an overlap is never missed.
  seats_[seat].eating.store(true, std::memory_order_seq_cst);
  if (seats_[left_of(seat)].eating.load(std::memory_order_seq_cst) ||
      seats_[right_of(seat)].eating.load(std::memory_order_seq_cst)) {
    violations_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Table::stop_eating(std::size_t seat) {
  // Cleared before the forks go back (release: a neighbour that gets the fork next sees it clear).
  seats_[seat].eating.store(false, std::memory_order_release);
  const auto eaten = seats_[seat].meals.fetch_add(1, std::memory_order_relaxed) + 1;
  meals_done_.fetch_add(1, std::memory_order_relaxed);
  // The fairness window closes when the first philosopher has eaten all its meals: the meals of the others
  // at that moment (read one by one, relaxed: a snapshot accurate to a meal in progress).
  if (eaten == meals_ && !window_taken_.exchange(true, std::memory_order_relaxed)) {
    for (std::size_t i = 0; i < seats_.size(); ++i) {
      window_[i] = static_cast<double>(seats_[i].meals.load(std::memory_order_relaxed));
    }
  }
}

void Table::replay(const ReportedRun& run) {
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    seats_[i].meals.store(run.meals[i], std::memory_order_relaxed);
    if (run.wait_ns) seats_[i].wait_ns = (*run.wait_ns)[i];
  }
  violations_.store(run.violations, std::memory_order_relaxed);
  if (run.window) {
    std::transform(run.window->begin(), run.window->end(), window_.begin(),
                   [](std::int64_t meals) { return static_cast<double>(meals); });
    window_taken_.store(true, std::memory_order_relaxed);
  }
}

RunCheck Table::end_run() {
  RunCheck check;
  check.violations = violations_.load(std::memory_order_relaxed);
  std::vector<double> waits(seats_.size());
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    const auto eaten = seats_[i].meals.load(std::memory_order_relaxed);
    if (eaten != meals_ && !check.wrong_seat) {
      check.wrong_seat = i;
      check.wrong_meals = eaten;
    }
    waits[i] = static_cast<double>(seats_[i].wait_ns);
  }
  if (window_taken_.load(std::memory_order_relaxed)) {
    meals_jain_sum_ += stats::jain_index(window_);
    wait_jain_sum_ += stats::jain_index(waits);
    ++runs_;
  }
  return check;
}

Fairness Table::fairness() const {
  Fairness fairness;
  if (runs_ > 0) {
    fairness.meals = meals_jain_sum_ / static_cast<double>(runs_);
    fairness.wait = wait_jain_sum_ / static_cast<double>(runs_);
  }
  stats::Histogram waits;
  for (const auto& seat : seats_) waits.merge(seat.waits);
  if (waits.count() > 0) fairness.wait_p99_us = waits.percentile(99) / 1000.0;
  return fairness;
}

}  // namespace concbench::philosophers
