#pragma once
/// Carries the first exception any task of a fork-join threw to its join point (an exception escaping a
/// std::thread or a Boost.Fiber calls std::terminate, and a TBB task_group would cancel the tasks not yet
/// started: every model catches in the task instead, lets the other tasks run, and rethrows at the join).

#include <exception>
#include <mutex>

namespace concbench {

class FirstError {
 public:
  /// Call from a catch block. Thread-safe; the critical section never blocks or switches fibers, so a plain
  /// std::mutex is fine inside fibers and TBB tasks too.
  void capture() {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }
  /// Call after the join (which orders every capture before it).
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

/// Runs `body(index)`, keeping an escaping exception in `errors`.
template <class Body>
void run_catching(const Body& body, std::size_t index, FirstError& errors) noexcept {
  try {
    body(index);
  } catch (...) {
    errors.capture();
  }
}

}  // namespace concbench
