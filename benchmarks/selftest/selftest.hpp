#pragma once
/// `selftest`: a testing aid for the runner, hidden from the default plan. Its variants misbehave on purpose
/// so tests (and users checking a new machine) can see each status the runner reports:
/// `ok` (a trivial verified run), `hang` (never ends: `timeout`), `crash` (SIGSEGV: `crashed`),
/// `wrong` (a wrong checksum: `failed`), `throw` (an exception in a task: `failed`).

#include "benchmarks/workload.hpp"

namespace concbench {

WorkloadSpec selftest_workload();

}  // namespace concbench
