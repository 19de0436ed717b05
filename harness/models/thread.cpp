#include "harness/models/thread.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include "harness/models/first_error.hpp"

namespace concbench {

static_assert(CompleteStackfulModel<ThreadModel>);

WorkerUse ThreadModel::run_tasks(std::size_t tasks, const TaskBody& body) {
  FirstError error;
  auto run_task = [&](std::size_t index) { run_catching(body, index, error); };
  // Relaxed is enough: the counter only hands out distinct indices; join() orders everything else.
  // It lives as long as the threads that use it, until the joins below.
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  if (tasks <= kMaxThreadPerTask) {
    threads.reserve(tasks);
    for (std::size_t index = 0; index < tasks; ++index) threads.emplace_back(run_task, index);
  } else {
    auto worker = [&] {
      for (std::size_t index; (index = next.fetch_add(1, std::memory_order_relaxed)) < tasks;) run_task(index);
    };
    threads.reserve(static_cast<std::size_t>(cores_));
    for (int i = 0; i < cores_; ++i) threads.emplace_back(worker);
  }
  const auto workers = static_cast<int>(threads.size());
  for (auto& thread : threads) thread.join();
  error.rethrow();
  return {workers, tasks <= kMaxThreadPerTask ? "thread-per-task" : "thread-per-worker"};
}

void ThreadModel::block_for(std::chrono::nanoseconds wait) { std::this_thread::sleep_for(wait); }

void ThreadModel::yield() { std::this_thread::yield(); }

}  // namespace concbench
