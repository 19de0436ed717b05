#include "models/gil/legacy_lock.hpp"

#include <cerrno>
#include <stdexcept>

namespace concbench::gil {
namespace {

const void* self() {
  thread_local const char marker = 0;
  return &marker;
}

}  // namespace

LegacyLock::LegacyLock(int check_interval) : check_interval_(check_interval) {
  if (sem_init(&semaphore_, 0, 1) != 0) throw std::runtime_error("sem_init failed");
}

LegacyLock::~LegacyLock() { sem_destroy(&semaphore_); }

void LegacyLock::acquire() {
  // Uncontended (every re-acquire of a lone thread, most on one core): no clock read. Two reads per check
  // interval on this VM's clock added ~15 % to a one-thread run that real Python 2's lock does not pay.
  if (sem_trywait(&semaphore_) == 0) {
    stats_.count_take(std::chrono::nanoseconds(0));
  } else {
    const auto start = std::chrono::steady_clock::now();
    while (sem_wait(&semaphore_) != 0 && errno == EINTR) {
    }
    stats_.count_take(std::chrono::steady_clock::now() - start);
  }
  // A switch is a take by another thread than the last holder.
  if (holder_.exchange(self(), std::memory_order_relaxed) != self()) stats_.count_switch();
}

void LegacyLock::take() { acquire(); }

void LegacyLock::drop() { sem_post(&semaphore_); }

}  // namespace concbench::gil
