#pragma once
/// `thread`: one std::thread per task, or a pool of one thread per core when tasks ≫ cores.
/// Parallelism is bounded by the cell's CPU affinity (set by the runner), not by the model.

#include <condition_variable>
#include <mutex>

#include "harness/models/blocking_channel.hpp"
#include "harness/models/model.hpp"

namespace concbench {

class ThreadModel {
 public:
  static constexpr ModelInfo info =
      on_threads("thread", "std::thread per task (a worker per core when tasks >> cores)", "thread");
  static constexpr ModelHooks hooks{};
  /// Above this many tasks a thread each would measure thread creation and memory, not the workload,
  /// so tasks are shared out to one worker per core instead (the row's `mapping` says which).
  static constexpr std::size_t kMaxThreadPerTask = 1024;

  using Mutex = std::mutex;
  template <class T>
  using Channel = BlockingChannel<T, std::mutex, std::condition_variable>;

  explicit ThreadModel(const ModelContext& context) : cores_(context.cores) {}
  WorkerUse run_tasks(std::size_t tasks, const TaskBody& body);
  static void block_for(std::chrono::nanoseconds wait);
  static void yield();

 private:
  int cores_;
};

}  // namespace concbench
