#include "harness/models/gil/global_lock_model.hpp"

#include "harness/models/gil/gil_lock.hpp"
#include "harness/models/gil/legacy_lock.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include <stdexcept>

namespace concbench::gil {

template <class Lock>
GlobalLockModel<Lock>::GlobalLockModel(const ModelContext& context)
    : interpreter_(std::make_unique<Interpreter<Lock>>(Settings::from(context))), threads_(context) {
  Interpreter<Lock>::current = interpreter_.get();
}

template <class Lock>
GlobalLockModel<Lock>::~GlobalLockModel() {
  if (interpreter_ && Interpreter<Lock>::current == interpreter_.get()) Interpreter<Lock>::current = nullptr;
}

template <class Lock>
GlobalLockModel<Lock>& GlobalLockModel<Lock>::operator=(GlobalLockModel&& other) noexcept {
  if (this != &other) {
    if (interpreter_ && Interpreter<Lock>::current == interpreter_.get()) {
      Interpreter<Lock>::current = other.interpreter_.get();
    }
    interpreter_ = std::move(other.interpreter_);
    threads_ = other.threads_;
  }
  return *this;
}

template <class Lock>
WorkerUse GlobalLockModel<Lock>::run_tasks(std::size_t tasks, const TaskBody& body) {
  const auto start = std::chrono::steady_clock::now();
  Lock& lock = interpreter_->lock;
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
double GlobalLockModel<Lock>::tick_ns() {
  const auto* interpreter = Interpreter<Lock>::current;
  if (interpreter == nullptr) throw std::logic_error("tick_ns: no global-lock model alive in this process");
  return interpreter->settings.tick_ns;
}

template <class Lock>
std::map<std::string, std::string> GlobalLockModel<Lock>::process_metrics() {
  const auto* interpreter = Interpreter<Lock>::current;
  if (interpreter == nullptr) return {};
  auto metrics = interpreter->lock.metrics();
  metrics["tick_ns"] = fmt::format("{:.4g}", interpreter->settings.tick_ns);
  return metrics;
}

template class GlobalLockModel<GilLock>;
template class GlobalLockModel<LegacyLock>;

}  // namespace concbench::gil
