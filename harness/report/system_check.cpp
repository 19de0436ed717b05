#include "harness/report/system_check.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace concbench {
namespace {

using Level = SystemCheck::Level;

std::string cpu_path(int cpu, const std::string& leaf) {
  return fmt::format("/sys/devices/system/cpu/cpu{}/{}", cpu, leaf);
}

/// Whether the whole run set is known to sit on one clock policy: scaling_governor per CPU.
SystemCheck governor(const MachineInfo& machine, const LineReader& read) {
  std::set<std::string> seen;
  for (int cpu : machine.affinity) {
    if (auto value = read(cpu_path(cpu, "cpufreq/scaling_governor")); !value.empty()) seen.insert(value);
  }
  if (seen.empty()) return {"governor", "not exposed (no cpufreq: a virtual machine or a fixed clock)", Level::ok, ""};
  const auto state = fmt::format("{}", fmt::join(seen, ", "));
  if (seen == std::set<std::string>{"performance"}) return {"governor", state, Level::ok, ""};
  return {"governor", state, Level::warning,
          "the clock follows the load, so a cell's speed depends on what ran before it: "
          "sudo cpupower frequency-set -g performance"};
}

SystemCheck boost(const LineReader& read) {
  const auto acpi = read("/sys/devices/system/cpu/cpufreq/boost");
  const auto intel = read("/sys/devices/system/cpu/intel_pstate/no_turbo");
  if (acpi.empty() && intel.empty()) return {"boost", "not exposed", Level::ok, ""};
  const bool on = acpi == "1" || intel == "0";
  if (!on) return {"boost", "off", Level::ok, ""};
  return {"boost", "on", Level::warning,
          "turbo clocks vary with temperature and with how many cores are busy, which skews speedups: "
          "echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost (intel_pstate: echo 1 > .../no_turbo)"};
}

SystemCheck aslr(const LineReader& read) {
  const auto value = read("/proc/sys/kernel/randomize_va_space");
  if (value == "2") return {"aslr", "full randomization", Level::ok, ""};
  if (value.empty()) return {"aslr", "not readable", Level::ok, ""};
  // As pyperf: keep it on, so that repeated runs sample memory layouts rather than fix one by chance.
  return {"aslr", value == "0" ? "disabled" : "partial (" + value + ")", Level::note,
          "one memory layout for every run can bias a comparison: echo 2 | sudo tee "
          "/proc/sys/kernel/randomize_va_space"};
}

/// CPUs of the run's set that are hyper-threads of one core: a 2-core cell may be one core's two threads.
SystemCheck smt(const MachineInfo& machine, const LineReader& read) {
  const std::set<int> run_set(machine.affinity.begin(), machine.affinity.end());
  std::vector<std::string> shared;
  std::set<std::string> seen;
  for (int cpu : machine.affinity) {
    const auto list = read(cpu_path(cpu, "topology/thread_siblings_list"));
    if (list.empty() || !seen.insert(list).second) continue;
    int in_set = 0;
    std::istringstream parts(list);
    for (std::string part; std::getline(parts, part, ',');) {
      const auto dash = part.find('-');
      const int first = std::stoi(part.substr(0, dash));
      const int last = dash == std::string::npos ? first : std::stoi(part.substr(dash + 1));
      for (int sibling = first; sibling <= last; ++sibling) in_set += run_set.contains(sibling) ? 1 : 0;
    }
    if (in_set > 1) shared.push_back(list);
  }
  if (seen.empty()) return {"smt", "topology not exposed", Level::ok, ""};
  if (shared.empty()) return {"smt", "one hardware thread per core in the run's CPUs", Level::ok, ""};
  return {"smt", fmt::format("SMT siblings in the run's CPUs: {}", fmt::join(shared, "; ")), Level::warning,
          "cores=2 may be two hyper-threads of one core: run under taskset with one CPU per core "
          "(e.g. taskset -c 0,2 concbench ...)"};
}

SystemCheck load(double busy) {
  if (busy < 0) return {"load", "not readable", Level::ok, ""};
  const auto state = fmt::format("{:.0f} % of the CPUs busy with other work", busy * 100);
  // A quarter of the machine busy elsewhere: a cell would share its CPUs with it. (The load average would
  // still count a build that has just ended.)
  if (busy < 0.25) return {"load", state, Level::ok, ""};
  return {"load", state, Level::warning,
          "other processes share the CPUs (a build, a browser, another benchmark): stop them, or compare "
          "only ratios measured in one run"};
}

SystemCheck frequency(const MachineInfo& machine, const LineReader& read) {
  std::vector<long> khz;
  for (int cpu : machine.affinity) {
    if (const auto value = read(cpu_path(cpu, "cpufreq/scaling_cur_freq")); !value.empty())
      khz.push_back(std::stol(value));
  }
  if (khz.empty())
    return {"frequency", machine.cpu_mhz.empty() ? "not exposed" : machine.cpu_mhz + " MHz (cpuinfo)", Level::ok, ""};
  const auto [low, high] = std::minmax_element(khz.begin(), khz.end());
  const auto state = fmt::format("{}-{} MHz now", *low / 1000, *high / 1000);
  // CPUs of one run at clocks more than 10 % apart: cells on different CPUs do not run at one speed.
  if (*high <= *low * 11 / 10) return {"frequency", state, Level::ok, ""};
  return {"frequency", state, Level::note, "the run's CPUs are at different clocks: see governor and boost"};
}

SystemCheck virtualization(const MachineInfo& machine) {
  if (machine.virtualization.empty() || machine.virtualization == "none") {
    return {"virtualization", "none", Level::ok, ""};
  }
  return {"virtualization", machine.virtualization, Level::note,
          "virtual CPUs lose time to the host (steal) and its other guests: interleave, repeat, compare "
          "ratios of one run (docs/runner.md)"};
}

}  // namespace

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

double busy_share(double window_s) {
  const auto sample = [] {
    std::ifstream in("/proc/stat");
    std::string cpu;
    std::array<double, 8> ticks{};  // user nice system idle iowait irq softirq steal
    in >> cpu;
    for (auto& value : ticks) in >> value;
    return std::make_pair(in.good() && cpu == "cpu", ticks);
  };
  const auto [ok_before, before] = sample();
  std::this_thread::sleep_for(std::chrono::duration<double>(window_s));
  const auto [ok_after, after] = sample();
  if (!ok_before || !ok_after) return -1;
  double total = 0, idle = 0;
  for (std::size_t i = 0; i < before.size(); ++i) total += after[i] - before[i];
  idle = (after[3] - before[3]) + (after[4] - before[4]);
  return total > 0 ? 1.0 - idle / total : -1;
}

std::vector<SystemCheck> check_system(const MachineInfo& machine, double busy, const LineReader& read) {
  return {governor(machine, read), boost(read), aslr(read), smt(machine, read), load(busy), frequency(machine, read),
          virtualization(machine)};
}

std::string_view level_name(SystemCheck::Level level) {
  switch (level) {
    case Level::ok:
      return "ok";
    case Level::note:
      return "note";
    case Level::warning:
      return "warning";
  }
  return "?";
}

}  // namespace concbench
