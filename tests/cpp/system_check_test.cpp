// The machine-state checks (harness/report/system_check.hpp), on fake /sys and /proc contents.
#include "harness/report/system_check.hpp"

#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace concbench {
namespace {

using Level = SystemCheck::Level;

/// A fake file system: paths not listed read as empty (unreadable).
LineReader files(std::map<std::string, std::string> contents) {
  return [contents = std::move(contents)](const std::string& path) {
    const auto it = contents.find(path);
    return it == contents.end() ? std::string{} : it->second;
  };
}

MachineInfo two_cpus() {
  MachineInfo machine;
  machine.affinity = {0, 1};
  machine.virtualization = "none";
  return machine;
}

SystemCheck named(const std::vector<SystemCheck>& checks, const std::string& name) {
  for (const auto& check : checks) {
    if (check.name == name) return check;
  }
  ADD_FAILURE() << "no check " << name;
  return {};
}

TEST(SystemCheck, AQuietTunedMachineHasNoWarning) {
  const auto checks = check_system(two_cpus(), 0.02,
                                   files({{"/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance"},
                                          {"/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance"},
                                          {"/sys/devices/system/cpu/cpufreq/boost", "0"},
                                          {"/proc/sys/kernel/randomize_va_space", "2"},
                                          {"/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0"},
                                          {"/sys/devices/system/cpu/cpu1/topology/thread_siblings_list", "1"}}));
  for (const auto& check : checks) EXPECT_EQ(check.level, Level::ok) << check.name << ": " << check.state;
  EXPECT_EQ(checks.size(), 7U);
}

TEST(SystemCheck, EachUnstableStateIsAWarningWithAdvice) {
  const auto checks = check_system(two_cpus(), 0.6,
                                   files({{"/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave"},
                                          {"/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance"},
                                          {"/sys/devices/system/cpu/intel_pstate/no_turbo", "0"},
                                          {"/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0-1"},
                                          {"/sys/devices/system/cpu/cpu1/topology/thread_siblings_list", "0-1"}}));
  for (const char* name : {"governor", "boost", "smt", "load"}) {
    const auto check = named(checks, name);
    EXPECT_EQ(check.level, Level::warning) << name;
    EXPECT_FALSE(check.advice.empty()) << name;
  }
  EXPECT_THAT(named(checks, "governor").state, ::testing::HasSubstr("powersave"));
  EXPECT_THAT(named(checks, "smt").state, ::testing::HasSubstr("0-1"));
  EXPECT_THAT(named(checks, "load").state, ::testing::HasSubstr("60 %"));
}

TEST(SystemCheck, SiblingsOutsideTheRunsCpusDoNotCount) {
  auto machine = two_cpus();
  machine.affinity = {0, 2};  // e.g. taskset -c 0,2 on a machine whose cores are 0-1 and 2-3
  const auto checks = check_system(machine, 0,
                                   files({{"/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "0-1"},
                                          {"/sys/devices/system/cpu/cpu2/topology/thread_siblings_list", "2,3"}}));
  EXPECT_EQ(named(checks, "smt").level, Level::ok) << named(checks, "smt").state;
}

TEST(SystemCheck, WhatAVirtualMachineDoesNotExposeIsNotAWarning) {
  auto machine = two_cpus();
  machine.virtualization = "KVM";
  const auto checks = check_system(machine, -1, files({}));
  for (const auto& check : checks) EXPECT_NE(check.level, Level::warning) << check.name;
  EXPECT_EQ(named(checks, "virtualization").level, Level::note);
  EXPECT_EQ(named(checks, "governor").level, Level::ok);
}

TEST(SystemCheck, BusyShareIsAShareOfTheMachine) {
  const double busy = busy_share(0.05);
  EXPECT_GE(busy, 0.0);
  EXPECT_LE(busy, 1.0);
}

}  // namespace
}  // namespace concbench
