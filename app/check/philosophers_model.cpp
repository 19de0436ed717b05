#include "app/check/philosophers_model.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace concbench::check {
namespace {

// State layout (64 bits): 3 bits of pc per philosopher, then one bit per fork (held or not), then the number
// seated by the waiter. Who holds a fork follows from the pcs; the bits make "is it free" one test.
constexpr int kPcBits = 3;
constexpr int kEncodable = 12;  // 12 * 3 + 12 + 4 bits
constexpr int kForkShift = kPcBits * kEncodable;
constexpr int kSeatShift = kForkShift + kEncodable;
static_assert(kMaxPhilosophers <= kEncodable);
static_assert(kSeatShift + 4 <= 64);

constexpr State kPcMask = (State{1} << kPcBits) - 1;

int pc_of(State state, int philosopher) { return static_cast<int>((state >> (kPcBits * philosopher)) & kPcMask); }
State with_pc(State state, int philosopher, int pc) {
  const int shift = kPcBits * philosopher;
  return (state & ~(kPcMask << shift)) | (static_cast<State>(pc) << shift);
}
bool fork_held(State state, int fork) { return ((state >> (kForkShift + fork)) & 1) != 0; }
State toggle_fork(State state, int fork) { return state ^ (State{1} << (kForkShift + fork)); }
int seated(State state) { return static_cast<int>(state >> kSeatShift); }
State with_seated(State state, int count) {
  return (state & ((State{1} << kSeatShift) - 1)) | (static_cast<State>(count) << kSeatShift);
}

constexpr std::string_view kNames[] = {"naive", "ordered", "waiter", "trylock"};

std::vector<Op> program_of(Strategy strategy) {
  using enum Op;
  // As the workload runs it (benchmarks/philosophers/stackful.cpp): the second fork goes back first.
  switch (strategy) {
    case Strategy::naive:
    case Strategy::ordered:
      return {take_first, take_second, eat, put_second, put_first, think};
    case Strategy::waiter:
      return {sit, take_first, take_second, eat, put_second, put_first, leave, think};
    case Strategy::trylock:
      // After a failed try: pc 6 and 7, then back to pc 0.
      return {take_first, try_second, eat, put_second, put_first, think, put_first_back, back_off};
  }
  throw std::logic_error("unknown strategy");
}

}  // namespace

std::optional<Strategy> parse_strategy(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kNames); ++i) {
    if (kNames[i] == name) return static_cast<Strategy>(i);
  }
  return std::nullopt;
}

std::string_view strategy_name(Strategy strategy) { return kNames[static_cast<std::size_t>(strategy)]; }

std::string strategy_names() { return fmt::format("{}", fmt::join(kNames, ", ")); }

PhilosophersModel::PhilosophersModel(Strategy strategy, int n)
    : strategy_(strategy), n_(n), program_(program_of(strategy)) {
  if (n < kMinPhilosophers || n > kMaxPhilosophers) {
    throw std::invalid_argument(fmt::format("N must be in {}..{}, got {}", kMinPhilosophers, kMaxPhilosophers, n));
  }
  if (program_.size() > std::size_t{1} << kPcBits) throw std::logic_error("a program longer than its pc bits");
  const auto failed = std::find(program_.begin(), program_.end(), Op::put_first_back);
  on_failed_try_ = static_cast<int>(failed - program_.begin());
}

int PhilosophersModel::first_fork(int philosopher) const {
  const int left = philosopher, right = (philosopher + 1) % n_;
  return strategy_ == Strategy::ordered ? std::min(left, right) : left;
}

int PhilosophersModel::second_fork(int philosopher) const {
  const int left = philosopher, right = (philosopher + 1) % n_;
  return strategy_ == Strategy::ordered ? std::max(left, right) : right;
}

void PhilosophersModel::steps(State state, std::vector<Step>& out) const {
  const int size = static_cast<int>(program_.size());
  for (int p = 0; p < n_; ++p) {
    const int pc = pc_of(state, p);
    const Op op = program_[static_cast<std::size_t>(pc)];
    // Thinking and backing off end an attempt: back to the top of the program. The rest go on in order.
    const bool restarts = op == Op::think || op == Op::back_off;
    const State advanced = with_pc(state, p, restarts ? 0 : (pc + 1) % size);
    Step step{advanced, p, static_cast<int>(op), -1, false};
    switch (op) {
      case Op::think:
      case Op::back_off:
        break;
      case Op::eat:
        step.progress = true;
        break;
      case Op::sit:
        if (seated(state) >= n_ - 1) continue;  // blocked: the table is full
        step.next = with_seated(advanced, seated(state) + 1);
        step.detail = seated(state) + 1;
        break;
      case Op::leave:
        step.next = with_seated(advanced, seated(state) - 1);
        break;
      case Op::take_first:
      case Op::take_second:
      case Op::try_second: {
        const int fork = op == Op::take_first ? first_fork(p) : second_fork(p);
        step.detail = fork;
        if (!fork_held(state, fork)) {
          step.next = toggle_fork(advanced, fork);
        } else if (op == Op::try_second) {
          step.next = with_pc(state, p, on_failed_try_);
          step.action = static_cast<int>(Op::try_second_failed);
        } else {
          continue;  // blocked on the fork
        }
        break;
      }
      case Op::put_first:
      case Op::put_first_back:
      case Op::put_second: {
        const int fork = op == Op::put_second ? second_fork(p) : first_fork(p);
        step.detail = fork;
        step.next = toggle_fork(advanced, fork);
        break;
      }
      case Op::try_second_failed:
        throw std::logic_error("try_second_failed is an outcome, not an instruction");
    }
    out.push_back(step);
  }
}

std::string PhilosophersModel::describe(const Step& step) const {
  const int p = step.actor;
  const auto fork = [&] { return fmt::format("fork {} ({})", step.detail, step.detail == p ? "left" : "right"); };
  const std::string who = fmt::format("philosopher {}", p);
  switch (static_cast<Op>(step.action)) {
    case Op::think:
      return who + " thinks";
    case Op::sit:
      return fmt::format("{} is seated by the waiter ({} of {} seats taken)", who, step.detail, n_ - 1);
    case Op::take_first:
    case Op::take_second:
      return fmt::format("{} takes {}", who, fork());
    case Op::try_second:
      return fmt::format("{} tries {}: free, takes it", who, fork());
    case Op::try_second_failed:
      return fmt::format("{} tries {}: held, fails", who, fork());
    case Op::eat:
      return who + " eats (a meal completes)";
    case Op::put_first:
    case Op::put_second:
      return fmt::format("{} puts {} down", who, fork());
    case Op::put_first_back:
      return fmt::format("{} puts {} back down", who, fork());
    case Op::back_off:
      return who + " backs off and retries";
    case Op::leave:
      return who + " leaves the table (frees a seat)";
  }
  return who + " ?";
}

}  // namespace concbench::check
