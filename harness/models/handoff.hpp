#pragma once
/// Handing control to a peer task: one task waits until a word another task changes has changed, in the
/// way natural to its model. An optional primitive beside the `StackfulModel` / `CoroutineModel` ones, for
/// workloads whose tasks take turns (pingpong).
///  - stackful models: `handoff_wait<M>(word, seen)` / `handoff_notify<M>(word)`. Fibers yield to the peer
///    fiber (Boost.Fiber yield); threads block in std::atomic::wait and are woken by notify_one; the
///    global-lock models do the same without the lock (a blocking call).
///  - coroutine models: `coro::Baton<S>`, a symmetric transfer straight into the parked peer coroutine.
/// pingpong's floor names them (`fiber-yield`, `atomic-wait`, `symmetric-transfer`: models/bare.hpp), and the
/// `bare` pseudo-model runs each in a minimal loop for comparison.

#include <atomic>
#include <coroutine>
#include <cstdint>

#include "harness/models/coro/resume.hpp"
#include "harness/models/coro/scheduler.hpp"
#include "harness/models/fiber.hpp"
#include "harness/models/fiber_ws.hpp"
#include "harness/models/interpreted.hpp"

namespace concbench {

/// Models whose tasks share a thread cooperatively: a waiting task yields to its peer.
template <class M>
inline constexpr bool handoff_by_yield = false;
template <>
inline constexpr bool handoff_by_yield<FiberModel> = true;
template <>
inline constexpr bool handoff_by_yield<FiberWsModel> = true;

/// Returns once `word` no longer holds `seen` (it may return early: callers re-check their condition).
/// The acquire load pairs with the peer's release store of the word, so what the peer wrote before is seen.
template <class M>
void handoff_wait(const std::atomic<std::int64_t>& word, std::int64_t seen) {
  if constexpr (handoff_by_yield<M>) {
    while (word.load(std::memory_order_acquire) == seen) M::yield();
  } else {
    blocking_call<M>([&] { word.wait(seen, std::memory_order_acquire); });
  }
}

/// Wakes the peer waiting in handoff_wait after the caller changed `word` (a release store).
template <class M>
void handoff_notify(std::atomic<std::int64_t>& word) {
  if constexpr (!handoff_by_yield<M>) word.notify_one();
}

namespace coro {

/// Two coroutines of scheduler S passing control back and forth: `co_await baton.pass()` parks the caller
/// and transfers straight into the peer parked before it (symmetric transfer, no scheduler queue); when no
/// peer is parked yet, the caller goes back to its scheduler until the peer passes to it. `release()`, by a
/// task that has finished, hands a still-parked peer back to the scheduler; a pass after it continues at once.
/// On a pool the two tasks may first run on two threads: until they meet (a pass finds the other parked), the
/// slot is exchanged atomically (acq_rel, so the state the passer wrote is visible to the one it resumes; one
/// of two concurrent passes always sees the other). From that meeting on they alternate on the finder's
/// thread by symmetric transfer, one running while the other is parked, until one ends and release() posts
/// the other (the scheduler's queue orders that hand-over): plain loads and stores then suffice, as on one
/// thread from the start. A locked exchange costs 11-23 ns on the 2-vCPU VM, several times the transfer.
template <Scheduler S>
class Baton {
 public:
  class [[nodiscard]] Pass {
   public:
    explicit Pass(Baton& baton) noexcept : baton_(baton) {}
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> self) noexcept {
      Baton& baton = baton_;
      const auto peer = baton.swap(self);  // from here the peer may resume us: touch nothing of `this`
      if (peer == done_marker()) {
        baton.swap(done_marker());  // the peer ended: keep the marker and go on ourselves
        return transfer_to(self);
      }
      return transfer_to(peer);  // null: no peer parked yet, back to the scheduler
    }
    void await_resume() const noexcept {}

   private:
    Baton& baton_;
  };

  Pass pass() noexcept { return Pass(*this); }

  /// The caller has ended: a parked peer is posted to the scheduler, a later pass continues at once.
  void release() noexcept {
    const auto peer = swap(done_marker());
    if (peer && peer != done_marker()) S::current()->post(peer);
  }

  /// Ready for two new tasks.
  void reset() noexcept {
    slot_.store({}, std::memory_order_relaxed);
    met_.store(false, std::memory_order_relaxed);
  }

 private:
  /// Marks an ended peer; never resumed, only compared (an address, so no guard of a function-local static).
  static std::coroutine_handle<> done_marker() noexcept { return std::coroutine_handle<>::from_address(&done_); }

  std::coroutine_handle<> swap(std::coroutine_handle<> handle) noexcept {
    if constexpr (S::kMultiThreaded) {
      // Relaxed: set by the thread that found the other parked and read by the two tasks only on that thread
      // afterwards (a pass that read it false before parking is ordered by the exchanges).
      if (!met_.load(std::memory_order_relaxed)) [[unlikely]] {  // a pass or two per run: off the hot path
        const auto old = slot_.exchange(handle, std::memory_order_acq_rel);
        if (old && old != done_marker()) met_.store(true, std::memory_order_relaxed);
        return old;
      }
    }
    const auto old = slot_.load(std::memory_order_relaxed);
    slot_.store(handle, std::memory_order_relaxed);
    return old;
  }

  inline static char done_ = 0;
  std::atomic<std::coroutine_handle<>> slot_{};
  std::atomic<bool> met_{false};  // multi-threaded schedulers: the two tasks have met (see above)
};

}  // namespace coro
}  // namespace concbench
