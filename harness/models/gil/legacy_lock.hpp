#pragma once
/// Python 2's global interpreter lock: a plain POSIX semaphore that the running thread releases and at
/// once re-acquires every `check_interval` ticks (sys.setcheckinterval, default 100). There is no timed
/// wait and no hand-off: on several cores the releasing thread usually wins the lock straight back,
/// while the woken waiter burns a wake-up — the behaviour that made two CPU-bound threads slower than one.
///
/// TRAPS.md: a `sem_t`, not std::binary_semaphore, which spins first in libstdc++ 12 and changes the
/// hand-off pattern.

#include <semaphore.h>

#include <atomic>
#include <chrono>

#include "models/gil/gil_stats.hpp"
#include "models/gil/settings.hpp"

namespace concbench::gil {

class LegacyLock {
 public:
  static constexpr int kDefaultCheckInterval = 100;

  explicit LegacyLock(int check_interval = kDefaultCheckInterval);
  explicit LegacyLock(const Settings& settings) : LegacyLock(settings.check_interval) {}
  ~LegacyLock();
  LegacyLock(const LegacyLock&) = delete;
  LegacyLock& operator=(const LegacyLock&) = delete;

  void take();
  void drop();
  /// One tick: every `check_interval` ticks of a thread, release and immediately re-acquire.
  void checkpoint() {
    thread_local int ticker = 0;
    if (++ticker < check_interval_) return;
    ticker = 0;
    stats_.count_forced_drop();
    sem_post(&semaphore_);
    acquire();
  }

  const GilStats& stats() const { return stats_; }
  GilStats& stats() { return stats_; }

 private:
  void acquire();

  const int check_interval_;
  sem_t semaphore_;
  std::atomic<const void*> holder_{nullptr};  // the last thread to acquire, to count switches
  GilStats stats_;
};

}  // namespace concbench::gil
