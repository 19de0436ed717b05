#pragma once
/// `OwnedFrame<Promise>`: the owner of a coroutine's frame, which it destroys with itself (unless released).
/// Move-only. What every task type that owns its frame holds: the models' coro::Task and the floors' bare::Task
/// (benchmarks/bare/coroutine_loops.hpp).

#include <coroutine>
#include <utility>

namespace concbench::coro {

template <class Promise>
class OwnedFrame {
 public:
  using Handle = std::coroutine_handle<Promise>;

  OwnedFrame() noexcept = default;
  explicit OwnedFrame(Handle handle) noexcept : handle_(handle) {}
  OwnedFrame(OwnedFrame&& other) noexcept : handle_(other.release()) {}
  OwnedFrame& operator=(OwnedFrame&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = other.release();
    }
    return *this;
  }
  OwnedFrame(const OwnedFrame&) = delete;
  OwnedFrame& operator=(const OwnedFrame&) = delete;
  ~OwnedFrame() { reset(); }

  Handle get() const noexcept { return handle_; }
  /// Gives up the frame: the caller (or the coroutine itself) frees it.
  Handle release() noexcept { return std::exchange(handle_, {}); }

 private:
  void reset() noexcept {
    if (handle_) release().destroy();
  }

  Handle handle_;
};

}  // namespace concbench::coro
