#pragma once
/// `sequential`: one thread, tasks run one after another to completion. The base of every speedup.
///
/// No task can run while another is in progress, so a primitive that would have to wait for another task
/// can never complete: locking a mutex that is already held, sending to a full channel, receiving from an
/// empty open one. Those throw DeadlockError at once instead of hanging (workloads give sequential their
/// natural order, e.g. produce everything, then consume, with a channel large enough).

#include <mutex>

#include "harness/models/blocking_channel.hpp"
#include "harness/models/model.hpp"

namespace concbench {

class SequentialModel {
 public:
  static constexpr ModelInfo info{.id = "sequential",
                                  .description = "one thread, tasks one after another",
                                  .single_core = true,
                                  .concurrent = false};
  static constexpr ModelHooks hooks{};

  /// A flag: tasks never overlap, so a held mutex can only be locked again by its holder (a deadlock).
  class Mutex {
   public:
    void lock();
    bool try_lock() noexcept;
    void unlock() noexcept { locked_ = false; }

   private:
    bool locked_ = false;
  };
  /// The condition variable of the sequential channel: no other task can ever signal it.
  class ConditionVariable {
   public:
    [[noreturn]] void wait(std::unique_lock<Mutex>& lock);
    void notify_one() noexcept {}
    void notify_all() noexcept {}
  };
  /// The shared ring-buffer channel; a send to a full or a receive from an empty open channel throws.
  template <class T>
  using Channel = BlockingChannel<T, Mutex, ConditionVariable>;

  explicit SequentialModel(const ModelContext& /*context*/) {}
  /// Runs the tasks in index order on the calling thread. A task that throws does not stop the others;
  /// the first exception is rethrown once they have all run, as on every model.
  WorkerUse run_tasks(std::size_t tasks, const TaskBody& body);
  static void block_for(std::chrono::nanoseconds wait);
  static void yield() {}  // nothing else to run: a task always runs to its end
};

}  // namespace concbench
