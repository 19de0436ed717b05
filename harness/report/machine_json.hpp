#pragma once
/// machine.json: the machine, the build and the command of one run.

#include <map>
#include <string>

#include "harness/report/machine.hpp"
#include "harness/report/system_check.hpp"

namespace concbench {

struct RunFacts {
  std::string run_id;
  std::string started;                             // UTC ISO-8601
  std::string command_line;                        // as typed, arguments shell-quoted
  std::string gbench_library_build_type;           // from Google Benchmark's own JSON context; empty until a cell ran
  std::map<std::string, std::string> calibration;  // measured before the cells (e.g. the GIL tick)
  std::vector<SystemCheck> system;  // the machine's state at the start of the run (report/system_check.hpp)
};

std::string machine_json(const MachineInfo& machine, const RunFacts& facts);

}  // namespace concbench
