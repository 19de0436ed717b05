#include "harness/models/gil/legacy_lock.hpp"

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include "harness/models/gil/held_time.hpp"

namespace concbench::gil {
namespace {

using Clock = std::chrono::steady_clock;

const void* self() {
  thread_local const char marker = 0;
  return &marker;
}

}  // namespace

LegacyLock::LegacyLock(int check_interval, int ticks_per_legacy_tick)
    : period_((std::max(0, check_interval) + 1) * std::max(1, ticks_per_legacy_tick)) {
  if (sem_init(&semaphore_, 0, 1) != 0) throw std::runtime_error("sem_init failed");
}

LegacyLock::~LegacyLock() { sem_destroy(&semaphore_); }

std::map<std::string, std::string> LegacyLock::metrics() const {
  auto metrics = stats_.metrics();
  metrics["check_period_ticks"] = std::to_string(period_);
  return metrics;
}

void LegacyLock::acquire() {
  // PyThread_acquire_lock(lock, 1): sem_wait, retried on EINTR. The free case first, with no clock read.
  if (sem_trywait(&semaphore_) == 0) {
    const auto now = Clock::now();
    stats_.count_take(std::chrono::nanoseconds(0));
    HeldTime::start(now);
  } else {
    const auto start = Clock::now();
    while (sem_wait(&semaphore_) != 0 && errno == EINTR) {
    }
    const auto now = Clock::now();
    stats_.count_take(now - start);
    HeldTime::start(now);
  }
  // A switch is a take by another thread than the last holder.
  if (holder_.exchange(self(), std::memory_order_relaxed) != self()) stats_.count_switch();
  stats_.holders().enter(self());
}

void LegacyLock::release_and_reacquire() {
  stats_.holders().leave(self());
  sem_post(&semaphore_);
  // Uncontended (every re-acquire of a lone thread, most on one core): no clock read, and the hold goes on.
  // Two reads per check interval on this VM's clock added ~15 % to a one-thread run that real Python 2's
  // lock does not pay.
  if (sem_trywait(&semaphore_) == 0) {
    stats_.count_take(std::chrono::nanoseconds(0));
    if (holder_.exchange(self(), std::memory_order_relaxed) != self()) {
      // Another thread had it between the release and now (its take counted the switch to it): ours is new.
      stats_.count_switch();
      const auto now = Clock::now();
      HeldTime::stop(now);  // its short hold is counted as ours: it cannot be seen from here
      HeldTime::start(now);
    }
    stats_.holders().enter(self());
    return;
  }
  // Lost it to a waiter: the hold ended at the release, a moment ago.
  HeldTime::stop(Clock::now());
  acquire();
}

void LegacyLock::take() { acquire(); }

void LegacyLock::drop() {
  stats_.holders().leave(self());
  HeldTime::stop(Clock::now());
  sem_post(&semaphore_);
}

}  // namespace concbench::gil
