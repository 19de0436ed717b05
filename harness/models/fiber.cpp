#include "models/fiber.hpp"

#include <cstdint>
#include <new>
#include <utility>
#include <vector>

#include <boost/context/pooled_fixedsize_stack.hpp>
#include <boost/fiber/algo/round_robin.hpp>
#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/type.hpp>

#include "models/first_error.hpp"

namespace concbench {

static_assert(StackfulModel<FiberModel>);
static_assert(StackfulModelChannels<FiberModel>);

namespace {

namespace fibers = boost::fibers;

template <class Impl, class Storage>
Impl& impl(Storage& storage) {
  static_assert(sizeof(Impl) <= sizeof(Storage) && alignof(Impl) <= 8, "wrapper storage too small");
  return *std::launder(reinterpret_cast<Impl*>(&storage));
}

/// Whether the caller is a task of this model (a fiber), not the thread that calls run_tasks from outside.
bool in_fiber_task() { return !fibers::context::active()->is_context(fibers::type::main_context); }

/// Set by run_nested just before it launches a child with launch::dispatch: the fiber the scheduler is told
/// about next is that spawner, which the child's start puts back in the ready queue.
thread_local bool next_awakened_is_spawner = false;

/// round_robin, but for one thing: a task that has just started a child (a nested run_tasks) resumes first,
/// as soon as that child suspends or ends, so spawning goes depth first. Plain round_robin resumes the
/// oldest ready fiber instead, which spreads a skynet tree breadth first: about 95k half-spawned inner nodes
/// alive at once (1.5 GB of 16 KiB stacks, each switch to a cold one) instead of the tree's depth. Every
/// other wake-up — a yield, a mutex, a channel, a sleep — is plain round_robin, so no other workload sees a
/// difference.
class SpawnersFirst final : public fibers::algo::round_robin {
 public:
  SpawnersFirst() { spawners_.reserve(kDepth); }

  void awakened(fibers::context* ctx) noexcept override {
    if (next_awakened_is_spawner && spawners_.size() < spawners_.capacity()) {  // never allocates here
      next_awakened_is_spawner = false;
      spawners_.push_back(ctx);
    } else if (ctx->is_context(fibers::type::dispatcher_context)) {
      dispatcher_ = ctx;  // its place is decided when the next fiber is picked
    } else {
      round_robin::awakened(ctx);
    }
  }
  fibers::context* pick_next() noexcept override {
    if (!spawners_.empty()) {
      // While spawners wait, the dispatcher goes first: it is what frees the stacks of finished fibers
      // (detached children included), and behind a stream of spawners it would never reach the queue's
      // front — a million finished fibers kept their stacks (17 GB) until the tree was done. Every
      // kFairShare-th pick serves the queue instead, so it is never starved by a long cascade (and a
      // dispatcher waiting in it since before the cascade gets its turn and comes here from then on).
      if (dispatcher_ != nullptr) return std::exchange(dispatcher_, nullptr);
      if (++spawner_picks_ % kFairShare == 0 && round_robin::has_ready_fibers()) return round_robin::pick_next();
      auto* spawner = spawners_.back();  // the most recent spawner: depth first
      spawners_.pop_back();
      return spawner;
    }
    if (dispatcher_ != nullptr) round_robin::awakened(std::exchange(dispatcher_, nullptr));  // its usual place
    return round_robin::pick_next();
  }
  bool has_ready_fibers() const noexcept override {
    return !spawners_.empty() || dispatcher_ != nullptr || round_robin::has_ready_fibers();
  }

 private:
  static constexpr std::size_t kDepth = 256;  // deeper spawners fall back to the ready queue's order
  static constexpr std::uint64_t kFairShare = 64;
  std::vector<fibers::context*> spawners_;
  std::uint64_t spawner_picks_ = 0;
  fibers::context* dispatcher_ = nullptr;
};

/// Installs SpawnersFirst on the calling thread once, before its first fiber.
void use_spawners_first() {
  thread_local const bool installed = [] {
    fibers::use_scheduling_algorithm<SpawnersFirst>();
    return true;
  }();
  (void)installed;
}

boost::context::pooled_fixedsize_stack& nested_stacks() {
  // One pool per thread: pooled_fixedsize_stack is not thread-safe, and `fiber` runs on one thread.
  thread_local boost::context::pooled_fixedsize_stack stacks(FiberModel::kNestedStackBytes);
  return stacks;
}

}  // namespace

FiberMutex::FiberMutex() { new (&storage_) fibers::mutex(); }
FiberMutex::~FiberMutex() { impl<fibers::mutex>(storage_).~mutex(); }
void FiberMutex::lock() { impl<fibers::mutex>(storage_).lock(); }
bool FiberMutex::try_lock() { return impl<fibers::mutex>(storage_).try_lock(); }
void FiberMutex::unlock() { impl<fibers::mutex>(storage_).unlock(); }

FiberCondVar::FiberCondVar() { new (&storage_) fibers::condition_variable(); }
FiberCondVar::~FiberCondVar() { impl<fibers::condition_variable>(storage_).~condition_variable(); }

void FiberCondVar::wait(std::unique_lock<FiberMutex>& lock) {
  // Boost's condition variable waits on a unique_lock of its own mutex type: lend it ours for the wait.
  std::unique_lock<fibers::mutex> inner(impl<fibers::mutex>(lock.mutex()->storage_), std::adopt_lock);
  impl<fibers::condition_variable>(storage_).wait(inner);
  inner.release();  // still locked, and still owned by `lock`
}

void FiberCondVar::notify_one() noexcept { impl<fibers::condition_variable>(storage_).notify_one(); }
void FiberCondVar::notify_all() noexcept { impl<fibers::condition_variable>(storage_).notify_all(); }

/// Nested (a task spawning tasks, e.g. skynet): launch::dispatch runs each child at once, on a small pooled
/// stack, and the children are detached and counted down rather than joined: a joinable fiber keeps its
/// stack until it is joined, so a million finished leaves would hold a million stacks (TRAPS.md).
WorkerUse run_nested(std::size_t tasks, const TaskBody& body) {
  struct Countdown {
    fibers::mutex mutex;
    fibers::condition_variable ended;
    std::size_t left;
  } countdown{{}, {}, tasks};
  FirstError errors;
  for (std::size_t index = 0; index < tasks; ++index) {
    next_awakened_is_spawner = true;
    fibers::fiber(fibers::launch::dispatch, std::allocator_arg, nested_stacks(), [&body, &errors, &countdown, index] {
      run_catching(body, index, errors);
      std::lock_guard lock(countdown.mutex);
      if (--countdown.left == 0) countdown.ended.notify_one();
    }).detach();
    next_awakened_is_spawner = false;  // back in the spawner: whatever happened, the flag is spent
  }
  {
    std::unique_lock lock(countdown.mutex);
    countdown.ended.wait(lock, [&] { return countdown.left == 0; });
  }
  errors.rethrow();
  return {1, "fiber-per-task"};
}

WorkerUse FiberModel::run_tasks(std::size_t tasks, const TaskBody& body) {
  if (in_fiber_task()) return run_nested(tasks, body);
  use_spawners_first();
  // An exception escaping a fiber calls std::terminate: each fiber keeps its own in `errors`.
  FirstError errors;
  std::vector<fibers::fiber> launched;
  launched.reserve(tasks);
  // launch::post (the default): each new fiber is queued, so every task is launched before any runs;
  // the joins below suspend the caller's main fiber and round_robin runs the tasks in launch order.
  for (std::size_t index = 0; index < tasks; ++index) {
    launched.emplace_back([&body, &errors, index] { run_catching(body, index, errors); });
  }
  for (auto& fiber : launched) fiber.join();
  errors.rethrow();
  return {1, "fiber-per-task"};
}

void FiberModel::block_for(std::chrono::nanoseconds wait) { boost::this_fiber::sleep_for(wait); }

void FiberModel::yield() { boost::this_fiber::yield(); }

}  // namespace concbench
