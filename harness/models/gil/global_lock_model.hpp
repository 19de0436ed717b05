#pragma once
/// The shape both global-lock models share: `std::thread`s (the `thread` model's) that must hold one
/// process-wide lock to run, drop it around blocking calls, and check it between ticks of work.
/// `Lock` is GilLock (CPython 3.2+) or LegacyLock (Python 2); everything else is common. A model reads its
/// settings (switch interval, check interval, tick) from the ModelContext it is built with (gil/settings.hpp).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "harness/core/param_spec.hpp"
#include "harness/models/blocking_channel.hpp"
#include "harness/models/gil/held_time.hpp"
#include "harness/models/gil/settings.hpp"
#include "harness/models/model.hpp"
#include "harness/models/thread.hpp"

namespace concbench::gil {

/// The interpreter a global-lock model stands for: its lock and the settings the model was built with. One is
/// alive per process at a time, like the real interpreter's lock (`current`, set by the model that owns it):
/// the model's static primitives and hooks (checkpoint, block_for, ...) reach the lock through it, since a task
/// calls them without a model at hand. It holds no setting of its own: what it has came from the model's context.
template <class Lock>
struct Interpreter {
  explicit Interpreter(const Settings& given) : settings(given), lock(given) {}

  const Settings settings;
  Lock lock;

  static inline Interpreter* current = nullptr;
};

/// Drops the global lock before a blocking system call (CPython's Py_BEGIN_ALLOW_THREADS).
template <class Lock>
void drop_for_blocking_call() {
  Lock& lock = Interpreter<Lock>::current->lock;
  lock.stats().count_voluntary_drop();
  lock.drop();
}

/// Takes the global lock back after a blocking system call (Py_END_ALLOW_THREADS).
template <class Lock>
void take_after_blocking_call() {
  Interpreter<Lock>::current->lock.take();
}

/// Runs `blocking()` without the global lock, as CPython's Py_BEGIN/END_ALLOW_THREADS around a system call.
template <class Lock, class Blocking>
void without_lock(Blocking&& blocking) {
  drop_for_blocking_call<Lock>();
  blocking();
  take_after_blocking_call<Lock>();
}

/// A mutex for tasks holding the global lock: blocking on it releases the global lock (as Python's
/// threading.Lock.acquire does), so the holder of the mutex can run and release it.
template <class Lock>
class ReleasingMutex {
 public:
  void lock() {
    if (mutex_.try_lock()) return;
    without_lock<Lock>([&] { mutex_.lock(); });
  }
  bool try_lock() { return mutex_.try_lock(); }
  void unlock() { mutex_.unlock(); }
  std::mutex& native() { return mutex_; }

 private:
  std::mutex mutex_;
};

/// A condition variable that releases the global lock while it waits (Python's Condition.wait).
template <class Lock>
class ReleasingCondition {
 public:
  void wait(std::unique_lock<ReleasingMutex<Lock>>& lock) {
    std::unique_lock native(lock.mutex()->native(), std::adopt_lock);
    without_lock<Lock>([&] { condition_.wait(native); });
    native.release();  // still locked: `lock` owns it again
  }
  void notify_one() { condition_.notify_one(); }
  void notify_all() { condition_.notify_all(); }

 private:
  std::condition_variable condition_;
};

template <class Lock>
class GlobalLockModel {
 public:
  using Mutex = ReleasingMutex<Lock>;
  template <class T>
  using Channel = BlockingChannel<T, ReleasingMutex<Lock>, ReleasingCondition<Lock>>;

  explicit GlobalLockModel(const ModelContext& context);
  ~GlobalLockModel();
  // Movable (the registry builds the model, then moves it into the cell): the lock stays where it is.
  GlobalLockModel(GlobalLockModel&& other) noexcept = default;
  GlobalLockModel& operator=(GlobalLockModel&& other) noexcept;

  /// Every task runs on its own thread holding the global lock; the caller (the cell's main thread)
  /// does not hold it while it waits for the join, as Python's main thread does not in Thread.join().
  WorkerUse run_tasks(std::size_t tasks, const TaskBody& body);
  static void block_for(std::chrono::nanoseconds wait) {
    without_lock<Lock>([&] { std::this_thread::sleep_for(wait); });
  }
  /// time.sleep(0): give the lock up and let the OS run someone else.
  static void yield() {
    without_lock<Lock>([] { std::this_thread::yield(); });
  }
  /// One tick of interpreted work is done: the interpreter's eval-breaker check.
  static void checkpoint() { Interpreter<Lock>::current->lock.checkpoint(); }
  /// The tick this model was built with (its context's calibration); throws std::logic_error when no
  /// global-lock model of this kind is alive.
  static double tick_ns();
  /// How long the calling task's thread has held the global lock, the current hold included
  /// (models/interpreted.hpp: global_lock_held).
  static std::chrono::nanoseconds held_by_this_thread() { return HeldTime::of_this_thread(); }
  /// The lock's counters (`gil_switches_per_s`, `forced_drops`, `voluntary_drops`, `gil_takes`,
  /// `mean_wait_us`, and gil-legacy's `check_period_ticks`) and the tick it ran with (`tick_ns`), while a model
  /// is alive in this process.
  static std::map<std::string, std::string> process_metrics();

  /// The descriptor of a global-lock model: threads (the `thread` family's floor) of which one runs at a time.
  static constexpr ModelInfo info_of(std::string_view id, std::string_view description) {
    return one_at_a_time(id, description, "thread");
  }
  /// A global-lock model's one cell parameter: an integer from 1 to `max`, `default_value` unless swept.
  static std::vector<ParamSpec> one_param(std::string name, std::string description, std::string unit,
                                          std::string default_value, std::int64_t max) {
    ParamSpec param;
    param.name = std::move(name);
    param.description = std::move(description);
    param.unit = std::move(unit);
    param.defaults = {std::move(default_value)};
    param.max = max;
    return {param};
  }
  /// The hooks of a global-lock model whose own cell parameters are `params` (ModelHooks): every one but
  /// tasks_run_to_completion.
  static constexpr ModelHooks hooks_with(std::vector<ParamSpec> (*params)()) {
    return {.params = params,
            .checkpoint = &checkpoint,
            .tick_ns = &tick_ns,
            .before_blocking_call = &drop_for_blocking_call<Lock>,
            .after_blocking_call = &take_after_blocking_call<Lock>,
            .held_by_this_thread = &held_by_this_thread,
            .process_metrics = &process_metrics};
  }

 private:
  std::unique_ptr<Interpreter<Lock>> interpreter_;  // on the heap: the model is moved, the lock stays put
  ThreadModel threads_;
};

}  // namespace concbench::gil
