#pragma once
/// The machine a run is made on, read from /proc and /sys (machine.json, and the machine columns of each row).

#include <cstdint>
#include <string>
#include <vector>

namespace concbench {

struct MachineInfo {
  std::string host;
  std::string cpu_model;
  int cpus_online = 0;
  std::vector<int> affinity;              // CPU ids this process may run on, ascending
  std::vector<std::string> smt_siblings;  // distinct thread_siblings_list entries of the affinity set
  std::int64_t memory_kb = 0;
  std::string kernel;
  std::string arch;
  std::string virtualization;  // hypervisor vendor/product, "none" when the CPU reports no hypervisor
  std::string cpu_governor;    // empty where unreadable (common in VMs)
  std::string cpu_mhz;
  /// Stable hash of the hardware description (not the host name, which is random on CI).
  std::string machine_id;
};

MachineInfo read_machine_info();

/// 16 hex digits of FNV-1a over the hardware fields; exposed for tests.
std::string hardware_id(const MachineInfo& info);

}  // namespace concbench
