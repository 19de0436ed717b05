#include "registry.hpp"

#include "convoy/convoy.hpp"
#include "counter/counter.hpp"
#include "parallel/parallel.hpp"
#include "pingpong/pingpong.hpp"
#include "philosophers/philosophers.hpp"
#include "prodcons/prodcons.hpp"
#include "selftest/selftest.hpp"
#include "spawn/spawn.hpp"

namespace concbench {

const std::vector<WorkloadSpec>& all_workloads() {
  static const std::vector<WorkloadSpec> workloads{
      parallel_workload(),
      convoy_workload(),
      counter_workload(),
      pingpong_workload(),
      philosophers_workload(),
      prodcons_workload(),
      spawn_workload(),
      selftest_workload(),
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
