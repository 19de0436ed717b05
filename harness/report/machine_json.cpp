#include "harness/report/machine_json.hpp"

#include <nlohmann/json.hpp>

#include "harness/report/build_info.hpp"

namespace concbench {

std::string machine_json(const MachineInfo& machine, const RunFacts& facts) {
  auto system = nlohmann::ordered_json::array();
  for (const auto& check : facts.system) {
    system.push_back({{"check", check.name},
                      {"state", check.state},
                      {"level", std::string(level_name(check.level))},
                      {"advice", check.advice}});
  }
  const nlohmann::ordered_json doc = {
      {"machine_id", machine.machine_id},
      {"host", machine.host},
      {"cpu_model", machine.cpu_model},
      {"cpus_online", machine.cpus_online},
      {"affinity", machine.affinity},
      {"smt_siblings", machine.smt_siblings},
      {"memory_kb", machine.memory_kb},
      {"kernel", machine.kernel},
      {"arch", machine.arch},
      {"virtualization", machine.virtualization},
      {"cpu_governor", machine.cpu_governor},
      {"cpu_mhz", machine.cpu_mhz},
      {"compiler", build_info::compiler},
      {"compiler_flags", build_info::compiler_flags},
      {"build_type", build_info::build_type},
      {"concbench_version", build_info::version},
      {"git_sha", build_info::git_sha},
      {"libraries",
       {{"google_benchmark", build_info::lib_benchmark},
        {"boost", build_info::lib_boost},
        {"onetbb", build_info::lib_tbb},
        {"fmt", build_info::lib_fmt},
        {"cli11", build_info::lib_cli11}}},
      // Debian's libbenchmark 1.7.1 is a debug build: that only slows Google Benchmark's own loop around
      // each run of a cell, not the cell's work, which is concbench's own optimised code.
      {"gbench_library_build_type", facts.gbench_library_build_type},
      {"calibration", facts.calibration},
      {"system", system},
      {"command_line", facts.command_line},
      {"run_id", facts.run_id},
      {"started", facts.started},
  };
  return doc.dump(2) + "\n";
}

}  // namespace concbench
