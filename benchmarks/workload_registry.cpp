#include "benchmarks/workload_registry.hpp"

#include "benchmarks/convoy/convoy.hpp"
#include "benchmarks/counter/counter.hpp"
#include "benchmarks/parallel/parallel.hpp"
#include "benchmarks/philosophers/philosophers.hpp"
#include "benchmarks/pingpong/pingpong.hpp"
#include "benchmarks/prodcons/prodcons.hpp"
#include "benchmarks/selftest/selftest.hpp"
#include "benchmarks/spawn/spawn.hpp"

namespace concbench {

const std::vector<WorkloadSpec>& all_workloads() {
  static const std::vector<WorkloadSpec> workloads{
      parallel_workload(),     convoy_workload(),   counter_workload(), pingpong_workload(),
      philosophers_workload(), prodcons_workload(), spawn_workload(),   selftest_workload(),
  };
  return workloads;
}

const WorkloadSpec* find_workload(std::string_view name) {
  for (const auto& workload : all_workloads()) {
    if (workload.name == name) return &workload;
  }
  return nullptr;
}

}  // namespace concbench
