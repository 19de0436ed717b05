#pragma once
/// `pingpong`: two tasks hand control back and forth (the seed talk's two coroutines swapping the engine).
/// Rounds 0, 1, …, S−1 alternate between the tasks: task 0 plays the even rounds, task 1 the odd ones, and
/// each round starts only when the shared `turn` equals its number and ends by setting it to the next one,
/// which hands control to the other task. Items are switches (S per run); the row's `ns_per_switch` is the
/// median time per switch. Each model hands over in its natural way (models/handoff.hpp); its row names it
/// in the metric `primitive` (the workload's floor), and the `bare` rows with that `primitive` run the same
/// primitive in a minimal loop.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "benchmarks/run_tally.hpp"
#include "benchmarks/workload.hpp"
#include "harness/core/cell_key.hpp"
#include "harness/models/bare.hpp"

namespace concbench {

WorkloadSpec pingpong_workload();

namespace pingpong {

/// Its bodies, one per kind of model (workload.hpp: Bindings, bindings_of), each defined in its own source:
/// stackful.cpp, coroutine.cpp, bare.cpp and external.cpp.
struct Bodies {
  static const CellMaker stackful, coroutine, bare, external;
};

/// What one run left: the final turn and the rounds each task played.
struct Outcome {
  std::int64_t turn = 0;
  std::array<std::int64_t, 2> rounds{};
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

/// The outcome of a correct run of `switches` rounds.
Outcome expected(std::int64_t switches);

/// What every binding shares: the turn, the per-task round counts, and the check of every run. A binding
/// calls start_run(), runs the two tasks (each plays its rounds: wait until turn() == r, then pass_turn(r);
/// it counts the rounds it played locally and reports them once, played(task, n), after its last), then
/// end_run() with the OS threads it used. Nothing but the turn is written per round.
class Cell : public TalliedCell<Outcome> {
 public:
  explicit Cell(const CellKey& key);

  std::int64_t items_per_run() const override { return switches_; }

 protected:
  std::int64_t switches() const { return switches_; }
  std::atomic<std::int64_t>& turn() { return turn_.value; }
  void start_run();
  /// Round `r` has been played: the turn passes to the other task (a release store, so the peer that sees it
  /// also sees everything this task did before).
  void pass_turn(std::int64_t r) { turn_.value.store(r + 1, std::memory_order_release); }
  /// Task `task` played `rounds` rounds in this run (after its last one).
  void played(std::size_t task, std::int64_t rounds) { rounds_[task].value = rounds; }
  /// The rounds task `task` must play: ⌈S/2⌉ for task 0, ⌊S/2⌋ for task 1.
  std::int64_t rounds_of(std::size_t task) const { return (switches_ + 1 - static_cast<std::int64_t>(task)) / 2; }
  void end_run(WorkerUse workers);

 private:
  // Each on its own cache line: the turn is the only line the two tasks should pass between them.
  struct alignas(64) Turn {
    std::atomic<std::int64_t> value{0};
  };
  struct alignas(64) Rounds {
    std::int64_t value = 0;
  };

  std::string explain(const Outcome& got) const override;

  std::int64_t switches_;
  Turn turn_;
  std::array<Rounds, 2> rounds_{};
};

}  // namespace pingpong
}  // namespace concbench
