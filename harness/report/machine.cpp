#include "harness/report/machine.hpp"

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "harness/report/system_check.hpp"

namespace concbench {
namespace {

std::string trim(std::string text) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t\r\n");
  return first == std::string::npos ? std::string{} : text.substr(first, last - first + 1);
}

/// The value of the first "key : value" line of /proc/cpuinfo whose key is `key`.
std::string cpuinfo_field(const std::string& key) {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    const auto colon = line.find(':');
    if (colon != std::string::npos && trim(line.substr(0, colon)) == key) return trim(line.substr(colon + 1));
  }
  return {};
}

std::int64_t memory_total_kb() {
  std::ifstream in("/proc/meminfo");
  std::string name;
  std::int64_t value = 0;
  while (in >> name >> value) {
    if (name == "MemTotal:") return value;
    in.ignore(256, '\n');
  }
  return 0;
}

std::vector<int> affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

std::string virtualization() {
  const auto flags = cpuinfo_field("flags");
  std::istringstream words(flags);
  const bool hypervisor = std::find(std::istream_iterator<std::string>(words), std::istream_iterator<std::string>(),
                                    "hypervisor") != std::istream_iterator<std::string>();
  if (!hypervisor) return "none";
  const auto vendor = read_first_line("/sys/class/dmi/id/sys_vendor");
  const auto product = read_first_line("/sys/class/dmi/id/product_name");
  const auto what = trim(vendor + " " + product);
  return what.empty() ? "hypervisor (unknown)" : what;
}

}  // namespace

std::string hardware_id(const MachineInfo& info) {
  // Memory is rounded to GiB: MemTotal moves by a few MiB between kernels on the same hardware.
  std::string description =
      fmt::format("{}|{}|{}|{}|", info.cpu_model, info.cpus_online, info.arch, (info.memory_kb + (1 << 19)) >> 20);
  for (const auto& siblings : info.smt_siblings) description += siblings + ";";
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : description) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", hash);
}

MachineInfo read_machine_info() {
  MachineInfo info;
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  info.host = host;
  info.cpu_model = cpuinfo_field("model name");
  if (info.cpu_model.empty()) info.cpu_model = cpuinfo_field("Model");  // arm64 names it differently
  info.cpus_online = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  info.affinity = affinity_cpus();
  std::set<std::string> siblings;
  for (int cpu : info.affinity) {
    const auto list = read_first_line(fmt::format("/sys/devices/system/cpu/cpu{}/topology/thread_siblings_list", cpu));
    if (!list.empty()) siblings.insert(list);
  }
  info.smt_siblings.assign(siblings.begin(), siblings.end());
  info.memory_kb = memory_total_kb();
  utsname names{};
  if (uname(&names) == 0) {
    info.kernel = fmt::format("{} {}", names.release, names.version);
    info.arch = names.machine;
  }
  info.virtualization = virtualization();
  info.cpu_governor = read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  info.cpu_mhz = cpuinfo_field("cpu MHz");
  info.machine_id = hardware_id(info);
  return info;
}

}  // namespace concbench
