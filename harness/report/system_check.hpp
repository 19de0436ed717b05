#pragma once
/// The machine's state that makes figures unstable, read from /proc and /sys, with advice in the manner of
/// `pyperf system show`: `concbench system` prints every check, each run prints its warnings at the start and
/// writes every check to machine.json (`system`).

#include <functional>
#include <string>
#include <vector>

#include "harness/report/machine.hpp"

namespace concbench {

struct SystemCheck {
  enum class Level { ok, note, warning };
  std::string name;   // governor, boost, aslr, smt, load, frequency, virtualization
  std::string state;  // what was read, in words
  Level level = Level::ok;
  std::string advice;  // what to do about it; empty when ok
};

/// Reads the first line of a file; empty when it cannot be read (tests pass a fake one).
using LineReader = std::function<std::string(const std::string& path)>;
std::string read_first_line(const std::string& path);

/// The share of all CPUs' time spent busy over `window_s`, from /proc/stat (this process sleeps meanwhile, so
/// it is the rest of the machine's load); negative when unreadable.
double busy_share(double window_s = 0.25);

/// Every check, for the CPUs of `machine.affinity`; `busy` is busy_share()'s value.
std::vector<SystemCheck> check_system(const MachineInfo& machine, double busy,
                                      const LineReader& read = read_first_line);

std::string_view level_name(SystemCheck::Level level);

}  // namespace concbench
