#pragma once
/// The dining philosophers' protocol, per strategy, as the exhaustive checker explores it.
///
/// Each philosopher runs a small program forever (meals are unbounded): one instruction per atomic step —
/// taking or putting down one fork, eating, thinking, a waiter's seat, a trylock's failed try and back-off.
/// The philosophers start hungry, about to take their first fork (or ask the waiter for a seat). Philosopher
/// i's left fork is fork i, its right fork is fork (i + 1) mod N.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/check/protocol.hpp"

namespace concbench::check {

enum class Strategy {
  naive,    // left fork, then right
  ordered,  // lower-numbered fork first
  waiter,   // a waiter seats at most N - 1 at the table; then left, then right
  trylock,  // take left, try right; on failure put left down, back off, retry
};

std::optional<Strategy> parse_strategy(std::string_view name);
std::string_view strategy_name(Strategy strategy);
/// Every strategy's name, comma-separated, for help and errors.
std::string strategy_names();

constexpr int kMinPhilosophers = 2;
/// The largest N the checker accepts: at 8, waiter (5.5 million states) takes seconds and about 0.7 GB;
/// each philosopher more multiplies that by about 7.
constexpr int kMaxPhilosophers = 8;

/// One instruction of a philosopher's program; each is one atomic step.
enum class Op {
  think,
  sit,                // waiter: take a seat (blocks while N - 1 are seated)
  take_first,         // blocks while the fork is held
  take_second,        // blocks while the fork is held
  try_second,         // trylock: never blocks; takes the fork if free
  try_second_failed,  // (only as a step's action: the try found the fork held)
  eat,                // a meal completes
  put_first,
  put_second,
  put_first_back,  // trylock: after a failed try
  back_off,        // trylock: the jittered sleep before retrying
  leave,           // waiter: free the seat
};

class PhilosophersModel final : public Protocol {
 public:
  /// `n` in kMinPhilosophers..kMaxPhilosophers (throws std::invalid_argument otherwise).
  PhilosophersModel(Strategy strategy, int n);

  State initial() const override { return 0; }  // every pc 0, every fork free, no one seated
  int actors() const override { return n_; }
  void steps(State state, std::vector<Step>& out) const override;
  std::string describe(const Step& step) const override;

  Strategy strategy() const { return strategy_; }
  /// Philosopher i's first and second fork under this strategy.
  int first_fork(int philosopher) const;
  int second_fork(int philosopher) const;

 private:
  Strategy strategy_;
  int n_;
  std::vector<Op> program_;  // pc -> instruction; each goes on to pc + 1, except think and back_off (to pc 0)
  int on_failed_try_ = 0;    // and a failed try_second (to this pc)
};

}  // namespace concbench::check
