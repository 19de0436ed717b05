#pragma once
/// `tbb`: oneTBB. run_tasks spawns one task per logical task into a `task_group` inside a `task_arena` of
/// N threads (N = cores; the calling thread joins the arena and counts as one of the N).
///
/// TBB tasks run to completion on their thread: there is no task-level yield or blocking-I/O integration
/// in this form, so `block_for` and a blocked channel operation hold their worker thread (docs/models.md).
/// oneTBB's headers stay in tbb.cpp and models/tbb_channel.hpp (TRAPS.md, "Build time on 2 cores").

#include <cstddef>
#include <memory>
#include <mutex>

#include "harness/models/model.hpp"

namespace concbench {

/// tbb::concurrent_bounded_queue as a `BoundedChannel`: defined in models/tbb_channel.hpp, which a workload
/// body using channels includes (through models/channels.hpp).
template <class T>
class TbbChannel;

class TbbModel {
 public:
  static constexpr ModelInfo info = on_threads("tbb", "oneTBB task_group in a task_arena of N threads", "tbb");
  /// A task keeps its thread until it ends (no task-level yield): workloads whose tasks wait on each other
  /// cannot run on fewer threads than such tasks (models/interpreted.hpp: can_interleave).
  static constexpr ModelHooks hooks{.tasks_run_to_completion = true};

  /// std::mutex rather than tbb::spin_mutex: a task may hold the lock across a blocking wait or while its
  /// thread is preempted (2 shared vCPUs), and spinners would burn the cores the holder needs; it is also
  /// the lock `thread` uses, so counter/mutex compares schedulers, not locks.
  using Mutex = std::mutex;
  template <class T>
  using Channel = TbbChannel<T>;

  explicit TbbModel(const ModelContext& context);
  ~TbbModel();
  TbbModel(TbbModel&&) noexcept;
  TbbModel& operator=(TbbModel&&) noexcept;

  /// `workers`: arena threads that have run at least one of this model's tasks (≤ N).
  WorkerUse run_tasks(std::size_t tasks, const TaskBody& body);
  /// Sleeps the worker thread (std::this_thread::sleep_for): no other task runs on it meanwhile.
  static void block_for(std::chrono::nanoseconds wait);
  /// std::this_thread::yield: lets other threads run; a TBB task cannot hand its thread to another task.
  static void yield();

 private:
  struct Arena;  // tbb.cpp
  std::unique_ptr<Arena> arena_;
};

}  // namespace concbench
