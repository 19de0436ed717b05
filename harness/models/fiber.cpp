#include "models/fiber.hpp"

#include <new>
#include <vector>

#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/fiber/operations.hpp>

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

WorkerUse FiberModel::run_tasks(std::size_t tasks, const TaskBody& body) {
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
