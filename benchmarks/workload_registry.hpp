#pragma once
/// Every workload, in display order. Adding a workload: its folder and one line in workload_registry.cpp.

#include <string_view>
#include <vector>

#include "benchmarks/workload.hpp"

namespace concbench {

const std::vector<WorkloadSpec>& all_workloads();
const WorkloadSpec* find_workload(std::string_view name);

}  // namespace concbench
