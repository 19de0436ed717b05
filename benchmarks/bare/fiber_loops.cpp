#include "benchmarks/bare/fiber_loops.hpp"

#include <utility>

#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/context.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/scheduler.hpp>
#include <boost/fiber/type.hpp>

namespace concbench::bare {
namespace {

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

}  // namespace

void use_depth_first_scheduler() { boost::fibers::use_scheduling_algorithm<DepthFirst>(); }

}  // namespace concbench::bare
