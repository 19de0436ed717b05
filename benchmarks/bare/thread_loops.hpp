#pragma once
/// The floors' fork-join on OS threads (`bare`, models/bare.hpp): one plain std::thread per task, started and
/// joined, nothing else. Shared by every thread loop of the floors (counter, pingpong's atomic-wait,
/// spawn's thread-join, prodcons' std-cv-ring and tbb-bounded-queue, parallel's thread-split).

#include <cstddef>
#include <thread>
#include <vector>

namespace concbench::bare {

/// Runs body(0), ..., body(n - 1), each on a std::thread of its own (even for n = 1: a process that never
/// started a thread takes glibc's single-thread shortcuts, e.g. a std::mutex without a locked instruction,
/// 3 ns instead of 14 ns here, which no model gets), and joins them all. Returns n.
template <class Body>
int on_threads(std::size_t n, const Body& body) {
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::size_t index = 0; index < n; ++index) threads.emplace_back([&body, index] { body(index); });
  for (auto& thread : threads) thread.join();
  return static_cast<int>(n);
}

}  // namespace concbench::bare
