#pragma once
/// `FrameCache`: where the models' coroutine frames (coro::Task's) come from. Each thread keeps a short list
/// of freed frames per size class and makes the next frame of that class from it, as the fiber models keep
/// their stacks: a fork-join makes and frees thousands of frames of two or three sizes per run. Plain
/// operator new took glibc's arena lock for each frame once the tcache's 7 of a size were used, which every
/// fork-join of more than 7 tasks does, in every process that has started a thread (a pool's workers): about a
/// third of spawn/flat's time per task on 2 workers. A frame freed on another thread than the one that made it
/// joins the freeing thread's list; a list holds at most kMaxPerClass frames, the rest go back to the heap.
/// Under ASan frames are not recycled, so a use after free is still caught.

#include <array>
#include <cstddef>
#include <new>
#include <utility>

namespace concbench::coro::detail {

class FrameCache {
 public:
  /// A frame of `size` bytes. Up to kLargest bytes, always a whole size class from the heap (cached or not), so
  /// that deallocate() gives back what was taken whichever path each of the two takes (during a thread's exit,
  /// the lists may be gone between the two).
  static void* allocate(std::size_t size) {
#if !defined(__SANITIZE_ADDRESS__)
    if (size <= kLargest) {
      const auto index = class_of(size);
      if (Lists* lists = mine(); lists != nullptr && lists->heads[index] != nullptr) {
        --lists->counts[index];
        return std::exchange(lists->heads[index], lists->heads[index]->next);
      }
      return ::operator new(rounded(size));
    }
#endif
    return ::operator new(size);
  }

  static void deallocate(void* frame, std::size_t size) noexcept {
#if !defined(__SANITIZE_ADDRESS__)
    if (size <= kLargest) {
      const auto index = class_of(size);
      if (Lists* lists = mine(); lists != nullptr && lists->counts[index] < kMaxPerClass) {
        ++lists->counts[index];
        lists->heads[index] = new (frame) Free{lists->heads[index]};
        return;
      }
      ::operator delete(frame, rounded(size));
      return;
    }
#endif
    ::operator delete(frame, size);
  }

 private:
  static constexpr std::size_t kGranule = 64;
  static constexpr std::size_t kClasses = 16;
  static constexpr std::size_t kLargest = kGranule * kClasses;  // larger frames (rare) go to the heap directly
  static constexpr int kMaxPerClass = 4096;                     // a thread keeps at most ~4 MB of frames per class

  struct Free {
    Free* next;
  };
  struct Lists {
    std::array<Free*, kClasses> heads{};
    std::array<int, kClasses> counts{};
    ~Lists();
  };

  static constexpr std::size_t class_of(std::size_t size) noexcept { return (size + kGranule - 1) / kGranule - 1; }
  static constexpr std::size_t rounded(std::size_t size) noexcept { return (class_of(size) + 1) * kGranule; }

  /// The calling thread's lists; null once they were destroyed (a frame freed by a thread-local destructor
  /// that runs after them goes to the heap).
  static Lists* mine() noexcept {
    if (this_thread_.lists != nullptr || this_thread_.dead) [[likely]] {
      return this_thread_.lists;
    }
    return first_use();
  }
  /// Makes the calling thread's lists (and registers their destructor, at the thread's exit).
  static Lists* first_use() noexcept;

  /// Constant-initialised and trivially destructible: reaching it costs no initialisation check, and it stays
  /// readable (as dead) after the thread's destructors ran.
  struct ThreadLists {
    Lists* lists;
    bool dead;
  };
  static constinit inline thread_local ThreadLists this_thread_{nullptr, false};
};

}  // namespace concbench::coro::detail
