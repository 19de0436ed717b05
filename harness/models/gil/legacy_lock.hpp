#pragma once
/// Python 2's global interpreter lock (Python/ceval.c and Python/thread_pthread.h of 2.7): a plain POSIX
/// semaphore that the running thread releases and at once re-acquires every `check_interval` of Python 2's
/// ticks (sys.setcheckinterval, default 100). There is no timed wait and no hand-off: on several cores the
/// releasing thread usually wins the lock straight back, while the woken waiter burns a wake-up — the
/// behaviour that made two CPU-bound threads slower than one.
///
/// Python 2 counts a tick only for the opcodes that go round the top of its eval loop (those that end in
/// `continue`, not in `goto fast_next_opcode` or a predicted jump): 2 of the 8 bytecodes of an iteration of
/// `while n > 0: n -= 1`. A concbench tick is one bytecode of CPython 3 (docs/gil.md), so one Python 2 tick
/// is worth `ticks_per_legacy_tick` of ours (gil/settings.hpp). The countdown of the lock is shared
/// by every thread, as Python 2's `_Py_Ticker` is a global: a thread back from a blocking call carries on
/// from where the last holder left it.
///
/// TRAPS.md: a `sem_t`, not std::binary_semaphore, which spins first in libstdc++ 12 and changes the
/// hand-off pattern.

#include <semaphore.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>

#include "harness/models/gil/gil_stats.hpp"
#include "harness/models/gil/settings.hpp"

namespace concbench::gil {

class LegacyLock {
 public:
  static constexpr int kDefaultCheckInterval = 100;

  /// Releases every (`check_interval` + 1) × `ticks_per_legacy_tick` calls of checkpoint(): Python 2 resets its
  /// countdown to the check interval and releases when it falls below zero.
  explicit LegacyLock(int check_interval = kDefaultCheckInterval, int ticks_per_legacy_tick = 1);
  explicit LegacyLock(const Settings& settings) : LegacyLock(settings.check_interval, settings.ticks_per_legacy_tick) {}
  ~LegacyLock();
  LegacyLock(const LegacyLock&) = delete;
  LegacyLock& operator=(const LegacyLock&) = delete;

  void take();
  void drop();
  /// One tick: when the countdown runs out, release and immediately re-acquire (ceval.c: `--_Py_Ticker < 0`).
  void checkpoint() {
    // Only the holder touches the countdown; the semaphore orders one holder's writes before the next's reads.
    if (++ticks_ < period_) return;
    ticks_ = 0;
    stats_.count_forced_drop();
    release_and_reacquire();
  }

  /// Ticks between two releases at checkpoints.
  int period() const { return period_; }
  const GilStats& stats() const { return stats_; }
  GilStats& stats() { return stats_; }
  /// The row's metrics of the lock: its counters (GilStats::metrics) and `check_period_ticks` (period()).
  std::map<std::string, std::string> metrics() const;

 private:
  /// Waits for the semaphore (sem_wait), counting the take and the switch.
  void acquire();
  /// A checkpoint's release (sem_post) and the re-acquire right after it.
  void release_and_reacquire();

  const int period_;
  int ticks_ = 0;  // Python 2's _Py_Ticker, counting up
  sem_t semaphore_;
  std::atomic<const void*> holder_{nullptr};  // the last thread to acquire, to count switches
  GilStats stats_;
};

}  // namespace concbench::gil
