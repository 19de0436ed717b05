#pragma once
/// The floors' fork-join on Boost.Fiber (`bare`, models/bare.hpp): fibers of the calling thread, on pooled
/// 16 KiB stacks, joined by the launcher, under Boost.Fiber's default scheduler (round_robin) — or, for a tree
/// of fork-joins (skynet), on a thread of their own under a depth-first scheduler (bare/fiber_loops.cpp). Shared by
/// pingpong's fiber-yield, spawn's fiber-join and prodcons' fiber-cv-ring. Include only in the floors' sources:
/// Boost.Fiber's headers are heavy (TRAPS.md, "Build time").

#include <cstddef>
#include <memory>
#include <span>
#include <thread>

#include <boost/context/pooled_fixedsize_stack.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/policy.hpp>

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

/// Installs on the calling thread, before its first fiber, the least a tree of fork-joins needs from a
/// Boost.Fiber scheduler (bare/fiber_loops.cpp: DepthFirst).
void use_depth_first_scheduler();

/// Runs `work()` on a new std::thread whose fibers are scheduled depth first (a scheduler is installed once per
/// thread, before its first fiber: this keeps it away from the caller's), and joins it; returns its result.
template <class Work>
auto on_depth_first_thread(const Work& work) {
  decltype(work()) result{};
  std::thread([&] {
    use_depth_first_scheduler();
    result = work();
  }).join();
  return result;
}

}  // namespace concbench::bare
