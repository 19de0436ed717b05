// The machine id (harness/report/machine.hpp): a stable hash of the hardware, never of the host name.
#include "harness/report/machine.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace concbench {
namespace {

MachineInfo sample_machine() {
  MachineInfo info;
  info.host = "runner-abc123";
  info.cpu_model = "AMD EPYC 7763 64-Core Processor";
  info.cpus_online = 2;
  info.affinity = {0, 1};
  info.smt_siblings = {"0-1"};
  info.memory_kb = 8 * 1024 * 1024;
  info.kernel = "6.1.0-18-amd64";
  info.arch = "x86_64";
  info.virtualization = "Microsoft Corporation Virtual Machine";
  info.cpu_governor = "";
  info.cpu_mhz = "2445.432";
  return info;
}

TEST(HardwareId, SixteenHexDigits) {
  EXPECT_THAT(hardware_id(sample_machine()), ::testing::MatchesRegex("[0-9a-f]{16}"));
}

TEST(HardwareId, StableForTheSameDescription) {
  EXPECT_EQ(hardware_id(sample_machine()), hardware_id(sample_machine()));
}

TEST(HardwareId, IndependentOfHostNameAndOtherSoftFacts) {
  // CI hosts get random names; kernel, clock and governor change without the hardware changing.
  const auto id = hardware_id(sample_machine());
  auto other = sample_machine();
  other.host = "runner-xyz789";
  other.kernel = "6.5.0";
  other.cpu_mhz = "3100.000";
  other.cpu_governor = "performance";
  other.machine_id = "stale";
  other.memory_kb += 3 * 1024;  // MemTotal moves by a few MiB between kernels
  EXPECT_EQ(hardware_id(other), id);
}

TEST(HardwareId, ChangesWithTheHardware) {
  const auto id = hardware_id(sample_machine());
  auto cpu = sample_machine();
  cpu.cpu_model = "Intel(R) Xeon(R) Platinum 8370C";
  auto cpus = sample_machine();
  cpus.cpus_online = 4;
  auto memory = sample_machine();
  memory.memory_kb *= 2;
  auto smt = sample_machine();
  smt.smt_siblings = {"0", "1"};
  auto arch = sample_machine();
  arch.arch = "aarch64";
  for (const auto& changed : {cpu, cpus, memory, smt, arch}) EXPECT_NE(hardware_id(changed), id);
}

TEST(ReadMachineInfo, DescribesThisMachineConsistently) {
  const auto first = read_machine_info();
  const auto second = read_machine_info();
  EXPECT_EQ(first.machine_id, hardware_id(first));
  EXPECT_EQ(first.machine_id, second.machine_id);
  EXPECT_GE(first.cpus_online, 1);
  EXPECT_FALSE(first.affinity.empty());
  EXPECT_TRUE(std::is_sorted(first.affinity.begin(), first.affinity.end()));
  EXPECT_FALSE(first.host.empty());
  EXPECT_GT(first.memory_kb, 0);
}

}  // namespace
}  // namespace concbench
