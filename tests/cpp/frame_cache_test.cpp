// coro::detail::FrameCache: the coroutine models' frames are recycled per thread.

#include "harness/models/coro/detail/frame_cache.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace concbench::coro::detail {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kRecycles = false;  // ASan builds use the heap, so a use after free is still caught
#else
constexpr bool kRecycles = true;
#endif

TEST(FrameCache, AFreedFrameIsTheNextOfItsSizeClassOnTheSameThread) {
  if (!kRecycles) GTEST_SKIP() << "frames are not recycled under ASan";
  void* first = FrameCache::allocate(200);
  FrameCache::deallocate(first, 200);
  // Had the frame gone back to the heap, this allocation of its size would take it (glibc's tcache is LIFO).
  void* plain = ::operator new(256);
  void* other_class = FrameCache::allocate(190);  // 129-192 bytes
  void* same_class = FrameCache::allocate(250);   // 193-256 bytes: the class of 200
  EXPECT_NE(plain, first);
  EXPECT_NE(other_class, first);
  EXPECT_EQ(same_class, first);
  ::operator delete(plain, 256);
  FrameCache::deallocate(other_class, 190);
  FrameCache::deallocate(same_class, 250);
}

TEST(FrameCache, AFrameFreedOnAnotherThreadIsThatThreadsToReuse) {
  if (!kRecycles) GTEST_SKIP() << "frames are not recycled under ASan";
  void* made_here = FrameCache::allocate(300);
  void* plain_there = nullptr;
  void* reused_there = nullptr;
  std::thread([&] {
    FrameCache::deallocate(made_here, 300);
    plain_there = ::operator new(320);
    reused_there = FrameCache::allocate(300);
    FrameCache::deallocate(reused_there, 300);
    ::operator delete(plain_there, 320);
  }).join();  // the thread's lists give back what they hold when it exits
  EXPECT_NE(plain_there, made_here);
  EXPECT_EQ(reused_there, made_here);
}

TEST(FrameCache, FramesLargerThanTheClassesComeFromTheHeapAndGoBack) {
  void* large = FrameCache::allocate(8192);
  ASSERT_NE(large, nullptr);
  static_cast<char*>(large)[8191] = 1;  // all of it is ours
  FrameCache::deallocate(large, 8192);
}

}  // namespace
}  // namespace concbench::coro::detail
