#include "models/fiber.hpp"

#include <new>
#include <vector>

#include <boost/context/pooled_fixedsize_stack.hpp>
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
    fibers::fiber(fibers::launch::dispatch, std::allocator_arg, nested_stacks(), [&body, &errors, &countdown, index] {
      run_catching(body, index, errors);
      std::lock_guard lock(countdown.mutex);
      if (--countdown.left == 0) countdown.ended.notify_one();
    }).detach();
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
