#pragma once
/// The shape both global-lock models share: `std::thread`s (the `thread` model's) that must hold one
/// process-wide lock to run, drop it around blocking calls, and check it between ticks of work.
/// `Lock` is GilLock (CPython 3.2+) or LegacyLock (Python 2); everything else is common.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "harness/models/blocking_channel.hpp"
#include "harness/models/gil/held_time.hpp"
#include "harness/models/model.hpp"
#include "harness/models/thread.hpp"

namespace concbench::gil {

/// The lock of the model alive in this process (one per process, like the interpreter's).
template <class Lock>
struct Current {
  static inline Lock* lock = nullptr;
};

/// Runs `blocking()` without the global lock, as CPython's Py_BEGIN/END_ALLOW_THREADS around a system call.
template <class Lock, class Blocking>
void without_lock(Blocking&& blocking) {
  Lock& lock = *Current<Lock>::lock;
  lock.stats().count_voluntary_drop();
  lock.drop();
  blocking();
  lock.take();
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

  explicit GlobalLockModel(int cores);
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
  /// A blocking system call, run without the lock (models/interpreted.hpp: blocking_call).
  template <class Call>
  static void release_around(Call&& call) {
    without_lock<Lock>(std::forward<Call>(call));
  }
  /// time.sleep(0): give the lock up and let the OS run someone else.
  static void yield() {
    without_lock<Lock>([] { std::this_thread::yield(); });
  }
  /// One tick of interpreted work is done: the interpreter's eval-breaker check.
  static void checkpoint() { Current<Lock>::lock->checkpoint(); }
  /// How long the calling task's thread has held the global lock, the current hold included
  /// (models/interpreted.hpp: global_lock_held).
  static std::chrono::nanoseconds held_by_this_thread() { return HeldTime::of_this_thread(); }
  /// The lock's counters (`gil_switches_per_s`, `forced_drops`, `voluntary_drops`, `gil_takes`,
  /// `mean_wait_us`) and the tick it ran with (`tick_ns`), while a model is alive in this process.
  static std::map<std::string, std::string> process_metrics();

 private:
  std::unique_ptr<Lock> lock_;
  ThreadModel threads_;
};

}  // namespace concbench::gil
