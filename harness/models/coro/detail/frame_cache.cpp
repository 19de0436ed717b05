#include "harness/models/coro/detail/frame_cache.hpp"

namespace concbench::coro::detail {

FrameCache::Lists::~Lists() {
  this_thread_.dead = true;
  this_thread_.lists = nullptr;
  for (std::size_t index = 0; index < kClasses; ++index) {
    while (Free* frame = heads[index]) {
      heads[index] = frame->next;
      ::operator delete(frame, rounded((index + 1) * kGranule));
    }
  }
}

FrameCache::Lists* FrameCache::first_use() noexcept {
  thread_local Lists lists;
  this_thread_.lists = &lists;
  return &lists;
}

}  // namespace concbench::coro::detail
