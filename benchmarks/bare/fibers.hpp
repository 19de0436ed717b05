#pragma once
/// The floors' fork-join on Boost.Fiber (`bare`, models/bare.hpp): fibers of the calling thread, on pooled
/// 16 KiB stacks, joined by the launcher, under Boost.Fiber's default scheduler (round_robin) — or, for a tree
/// of fork-joins (skynet), on a thread of their own under the depth-first scheduler below. Shared by
/// pingpong's fiber-yield, spawn's fiber-join and prodcons' fiber-cv-ring. Include only in the floors' sources:
/// Boost.Fiber's headers are heavy (TRAPS.md, "Build time").

#include <cstddef>
#include <memory>
#include <span>

#include <thread>
#include <utility>

#include <boost/context/pooled_fixedsize_stack.hpp>
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/context.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/policy.hpp>
#include <boost/fiber/scheduler.hpp>
#include <boost/fiber/type.hpp>

namespace concbench::bare {

/// 16 KiB are plenty for the floors' tiny bodies (TRAPS.md); ASan's redzones make frames several times larger.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr std::size_t kFiberStackBytes = 64 * 1024;
#else
inline constexpr std::size_t kFiberStackBytes = 16 * 1024;
#endif

/// The calling thread's pool of fiber stacks: a stack goes back to it when its fiber is destroyed, so a run
/// reuses the stacks of the runs before (pooled_fixedsize_stack is not thread-safe: one pool per thread).
inline boost::context::pooled_fixedsize_stack& fiber_stacks() {
  thread_local boost::context::pooled_fixedsize_stack stacks(kFiberStackBytes);
  return stacks;
}

/// Launches body(0), ..., body(n - 1) as fibers into `fibers` (n = its size), then joins them all.
/// `launch::post` queues every fiber before any runs; `launch::dispatch` runs each at once, its launcher
/// queued behind it (skynet's nodes: a finished child is joined without waiting, TRAPS.md).
template <class Body>
void on_fibers(std::span<boost::fibers::fiber> fibers, boost::fibers::launch policy, const Body& body) {
  for (std::size_t index = 0; index < fibers.size(); ++index) {
    fibers[index] = boost::fibers::fiber(policy, std::allocator_arg, fiber_stacks(), [&body, index] { body(index); });
  }
  for (auto& fiber : fibers) fiber.join();
}

/// The least a tree of fork-joins needs from a Boost.Fiber scheduler: the most recently readied fiber runs
/// first (a spawner resumes as soon as the child it dispatched ends: the tree unfolds depth first, only its
/// depth alive), and the dispatcher goes before it (only the dispatcher's loop frees finished fibers' stacks).
/// round_robin runs the oldest ready fiber instead: a skynet tree unfolds breadth first, 5 GB of stacks and
/// 10 µs per task measured here (docs/traps.md). Sleeping and waking are round_robin's.
class DepthFirst final : public boost::fibers::algo::round_robin {
 public:
  void awakened(boost::fibers::context* ctx) noexcept override {
    if (ctx->is_context(boost::fibers::type::dispatcher_context)) {
      dispatcher_ = ctx;
    } else {
      ctx->ready_link(ready_);
    }
  }
  boost::fibers::context* pick_next() noexcept override {
    if (dispatcher_ != nullptr) return std::exchange(dispatcher_, nullptr);
    if (ready_.empty()) return nullptr;
    auto* newest = &ready_.back();
    ready_.pop_back();
    return newest;
  }
  bool has_ready_fibers() const noexcept override { return dispatcher_ != nullptr || !ready_.empty(); }

 private:
  boost::fibers::scheduler::ready_queue_type ready_;
  boost::fibers::context* dispatcher_ = nullptr;
};

/// Runs `work()` on a new std::thread whose fibers are scheduled DepthFirst (a scheduler is installed once per
/// thread, before its first fiber: this keeps it away from the caller's), and joins it; returns its result.
template <class Work>
auto on_depth_first_thread(const Work& work) {
  decltype(work()) result{};
  std::thread([&] {
    boost::fibers::use_scheduling_algorithm<DepthFirst>();
    result = work();
  }).join();
  return result;
}

}  // namespace concbench::bare
