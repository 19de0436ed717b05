#pragma once
/// `bare`: not an execution model but the reference beside them (DESIGN.md): a workload's primitive in a
/// minimal hand-written loop, in the same binary, so a reader sees what the harness and each model add.
/// Only workloads with a floor (WorkloadSpec::floors, benchmarks/workload.hpp) get `bare` cells; the loops
/// live with those workloads (benchmarks/<workload>/bare.cpp, pieces shared between them in benchmarks/bare/).

#include <string>
#include <string_view>
#include <vector>

#include "harness/core/param_spec.hpp"
#include "harness/models/model.hpp"

namespace concbench {

/// The primitives of the floors: the `primitive` parameter of a bare cell, and the metric `primitive` of
/// each model row compared with it (the one its model or its family, ModelInfo::family, maps to in the
/// workload's floor).
namespace primitive {
// pingpong: one hand-over of control between two tasks.
inline constexpr std::string_view kSymmetricTransfer = "symmetric-transfer";  // C++20 coroutine to coroutine
inline constexpr std::string_view kFiberYield = "fiber-yield";                // Boost.Fiber yield between fibers
inline constexpr std::string_view kAtomicWait = "atomic-wait";  // std::atomic wait/notify between two threads
// spawn: create tasks, join them.
inline constexpr std::string_view kFiberJoin = "fiber-join";          // Boost.Fiber fibers on pooled 16 KiB stacks
inline constexpr std::string_view kTbbTaskGroup = "tbb-task-group";   // oneTBB task_group::run, then wait
inline constexpr std::string_view kCoroutineJoin = "coroutine-join";  // lazy C++20 coroutines, each awaited
inline constexpr std::string_view kThreadJoin = "thread-join";        // one std::thread per task
// prodcons: a bounded channel.
inline constexpr std::string_view kFiberCvRing = "fiber-cv-ring";           // ring under Boost.Fiber mutex + condvars
inline constexpr std::string_view kTbbBoundedQueue = "tbb-bounded-queue";   // tbb::concurrent_bounded_queue
inline constexpr std::string_view kCoroutineChannel = "coroutine-channel";  // a minimal one-thread coroutine channel
inline constexpr std::string_view kStdCvRing = "std-cv-ring";  // ring under std::mutex + std::condition_variables
// counter/mutex: a lock and unlock around each add, uncontended when the tasks take turns on one thread.
inline constexpr std::string_view kThreadMutex = "thread-mutex";        // std::mutex between std::threads
inline constexpr std::string_view kTbbMutex = "tbb-mutex";              // std::mutex in oneTBB task_group tasks
inline constexpr std::string_view kFiberMutex = "fiber-mutex";          // boost::fibers::mutex between fibers
inline constexpr std::string_view kCoroutineMutex = "coroutine-mutex";  // a minimal coroutine mutex (one CAS)
// counter without a mutex, on the global-lock models: their interpreter's lock, held by each task's thread, and
// its eval-breaker check after each add (the model's tick).
inline constexpr std::string_view kGilTick = "gil-tick";               // gil::GilLock (CPython 3.2+)
inline constexpr std::string_view kGilLegacyTick = "gil-legacy-tick";  // gil::LegacyLock (Python 2)
// parallel/cpu: split the items over the cores.
inline constexpr std::string_view kTbbParallelFor = "tbb-parallel-for";  // tbb::parallel_for over the slices
inline constexpr std::string_view kThreadSplit = "thread-split";  // the slices dealt to min(tasks, cores) threads
}  // namespace primitive

struct BareModel {
  /// `workers` in its rows says what each loop really used (docs/models.md).
  static constexpr ModelInfo info{.id = "bare",
                                  .description = "reference: the primitive in a minimal hand-written loop",
                                  .single_core = false,
                                  .concurrent = true,
                                  .pseudo = true};

  /// Names the parameter `primitive` only, so that a bare row's speedup base drops it (CellKey::speedup_base).
  /// Its values are not listed here: the planner takes them from the workload's floor for the cell's variant
  /// (FloorSpec::primitive_of_family), and `--set primitive=...` picks among them.
  static std::vector<ParamSpec> params() {
    return {{"primitive", "the primitive of the bare loop: one of its workload's floor", "", {}, {}, 0, 0, {}, {}}};
  }
  static constexpr ModelHooks hooks{.params = &params};
};

}  // namespace concbench
