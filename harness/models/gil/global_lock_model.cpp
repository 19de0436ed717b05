#include "harness/models/gil/global_lock_model.hpp"

#include "harness/models/gil/gil_lock.hpp"
#include "harness/models/gil/legacy_lock.hpp"
#include "harness/models/gil/settings.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace concbench::gil {

template <class Lock>
GlobalLockModel<Lock>::GlobalLockModel(int cores) : lock_(std::make_unique<Lock>(settings())), threads_(cores) {
  Current<Lock>::lock = lock_.get();
}

template <class Lock>
GlobalLockModel<Lock>::~GlobalLockModel() {
  if (lock_ && Current<Lock>::lock == lock_.get()) Current<Lock>::lock = nullptr;
}

template <class Lock>
GlobalLockModel<Lock>& GlobalLockModel<Lock>::operator=(GlobalLockModel&& other) noexcept {
  if (this != &other) {
    if (lock_ && Current<Lock>::lock == lock_.get()) Current<Lock>::lock = other.lock_.get();
    lock_ = std::move(other.lock_);
    threads_ = other.threads_;
  }
  return *this;
}

template <class Lock>
WorkerUse GlobalLockModel<Lock>::run_tasks(std::size_t tasks, const TaskBody& body) {
  const auto start = std::chrono::steady_clock::now();
  Lock& lock = *lock_;
  const auto use = threads_.run_tasks(tasks, [&](std::size_t index) {
    lock.take();
    try {
      body(index);
    } catch (...) {
      lock.drop();  // a thread that dies of an exception releases the lock, as CPython's thread exit does
      throw;
    }
    lock.drop();
  });
  lock.stats().add_active(std::chrono::steady_clock::now() - start);
  // The invariant the model exists to show (holder_monitor.hpp): a lock that let two tasks run Python-level
  // work at once fails the cell, whatever its speed.
  if (const auto overlaps = lock.stats().holders().overlaps(); overlaps > 0) {
    throw std::logic_error(fmt::format("global lock broken: two tasks held it at once ({} times)", overlaps));
  }
  return use;
}

template <class Lock>
std::map<std::string, std::string> GlobalLockModel<Lock>::process_metrics() {
  const Lock* lock = Current<Lock>::lock;
  if (lock == nullptr) return {};
  auto metrics = lock->stats().metrics();
  metrics["tick_ns"] = fmt::format("{:.4g}", settings().tick_ns);
  if constexpr (requires { lock->period(); }) metrics["check_period_ticks"] = std::to_string(lock->period());
  return metrics;
}

template class GlobalLockModel<GilLock>;
template class GlobalLockModel<LegacyLock>;

}  // namespace concbench::gil
