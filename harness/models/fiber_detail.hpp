#pragma once
/// What the two Boost.Fiber models share, for their sources only (it includes Boost.Fiber's headers, which stay
/// out of every other translation unit, TRAPS.md "Build time on 2 cores"):
///  - `StackCache`: fiber stacks of one size kept for reuse, per thread, given back from any thread;
///  - `DepthFirst`: the scheduling algorithm of both models (one thread, or one of a pool that steals);
///  - `run_nested`: a task's own fork-join (skynet's nodes), children launched depth first and detached.
/// docs/traps.md ("Boost.Fiber: where a fork-join's time went") says why each exists.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include <boost/context/stack_context.hpp>
#include <boost/fiber/algo/algorithm.hpp>
#include <boost/fiber/context.hpp>
#include <boost/fiber/scheduler.hpp>

#include "harness/models/coro/detail/steal_deque.hpp"
#include "harness/models/fiber.hpp"
#include "harness/models/first_error.hpp"
#include "harness/models/model.hpp"

namespace concbench::fiber_detail {

namespace fibers = boost::fibers;

/// The stack of every fiber of both models, top-level tasks and nested ones (FiberModel::kStackBytes, 64 KiB).
/// Measured with painted stacks (FiberStacks.EveryWorkloadUsesAQuarterOfTheStackAtMost: every workload's cells
/// at their --quick sizes on both models), the deepest any task went was 6.6 KiB in the release build and
/// 12.4 KiB under ASan (its redzones make frames larger); the test holds every preset to a quarter of the
/// size, since a cached stack has no guard page. Only the pages a fiber touches cost memory: a skynet leaf touches one
/// or two.
inline constexpr std::size_t kStackBytes = FiberModel::kStackBytes;

/// Fiber stacks of one size, kept for reuse: a stack is malloc'd once, then handed out again and again, so a
/// run of tiny fibers pays no allocation, no page fault and no trimming of the heap (Boost's default stack is a
/// 128 KiB malloc and free per fiber: 3.3 µs of a fiber's 3.5 µs here, docs/traps.md).
///
/// Each thread hands out stacks from its own cache (`for_this_thread`). A stack is given back to the cache it
/// came from: at once when that cache is the calling thread's, else through a lock-free list the owner drains
/// when its own free stacks run out (fiber-ws frees a fiber's stack on whichever thread it ended).
///
/// Layout of a stack (page-aligned): a canary at the bottom, the usable stack, then a few cache lines of
/// "colour" and the header (owner, free-list link) at the top, beside the fiber's context that Boost places
/// just below the top: handing a stack out and back touches only lines the fiber uses anyway. The colour
/// (0..31 lines, per stack) keeps the tops of many stacks, 64 KiB apart, from all landing in the same cache
/// sets. The canary is checked when a stack comes back in builds with assertions (the test presets): a fiber
/// that overran its stack is reported, with the stack size, instead of silently corrupting its neighbour.
class StackCache {
 public:
  explicit StackCache(std::size_t bytes = kStackBytes) noexcept : bytes_(bytes) {}
  /// Frees the free stacks. Every stack handed out must have come back (fiber-ws: after its threads joined).
  ~StackCache();
  StackCache(const StackCache&) = delete;
  StackCache& operator=(const StackCache&) = delete;

  /// The cache of the calling thread: the one `install` set (fiber-ws's pool threads), else one made for this
  /// thread on first use and freed when the thread ends (once its last stack came back).
  static StackCache& for_this_thread();  // noinline, like every thread-local accessor here (fiber.cpp)
  /// Makes `cache` the calling thread's cache (it must outlive every fiber stack it hands out).
  static void install(StackCache& cache) noexcept;

  boost::context::stack_context allocate();
  /// Gives `stack` back to the cache it came from; callable on any thread.
  static void deallocate(boost::context::stack_context& stack) noexcept;

  /// Testing aid: while on, each stack is filled with a pattern when handed out and, when it comes back, the
  /// deepest byte its fiber wrote is recorded; the stacks out are counted. Off by default (it writes the whole
  /// stack each time).
  static void measure_use(bool on) noexcept;
  /// The most bytes of one stack any fiber used while measuring was on.
  static std::size_t deepest_use() noexcept;
  /// The most stacks handed out at once (and not yet back) while measuring was on.
  static std::size_t most_out() noexcept;

 private:
  struct alignas(64) Header {
    StackCache* home;
    Header* next;
    char* block;  // the whole stack, as allocated
    char* top;    // the stack pointer a fiber starts from: the header less this stack's colour
    bool painted;
  };
  friend class ThreadStacks;

  static Header* header_of(const boost::context::stack_context& stack) noexcept;
  void give_back(Header* header) noexcept;  // on this cache's thread
  /// The thread's own cache is going away: free what is free, and the rest as it comes back.
  void retire() noexcept;

  const std::size_t bytes_;          // the whole block
  Header* free_ = nullptr;           // this thread's free stacks
  std::atomic<Header*> returned_{};  // stacks given back by other threads (a Treiber stack, drained whole)
  std::size_t outstanding_ = 0;      // handed out and not back on free_ (owner thread only)
  std::size_t made_ = 0;             // stacks allocated so far: picks the next one's colour
  bool retired_ = false;
};

/// The stack allocator handed to boost::fibers::fiber (Boost keeps a copy in each fiber's context). It takes
/// the cache of the thread it allocates on, not of the thread it was made on: a spawner may be stolen by
/// another thread between two launches, and a cache is not to be touched by two threads at once.
struct CachedStacks {
  boost::context::stack_context allocate() { return StackCache::for_this_thread().allocate(); }
  void deallocate(boost::context::stack_context& stack) noexcept { StackCache::deallocate(stack); }
};

/// Call as a fiber's last statement (run_nested's and the models' top-level fibers do): the fiber is about to
/// end, so the scheduler's next pick is its termination's. Boost.Fiber frees an ended fiber (stack and all)
/// only in the thread's dispatcher fiber; counting the ends lets `DepthFirst` run the dispatcher every
/// `kReleaseBatch` of them, which a depth-first order would otherwise starve (every stack of the tree alive).
void fiber_ends() noexcept;

/// A TTAS spinlock for the ready queues thieves read: held for a few instructions, rarely contended.
class SpinLock {
 public:
  void lock() noexcept;
  bool try_lock() noexcept { return !locked_.exchange(true, std::memory_order_acquire); }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

/// The scheduling algorithm of `fiber` (alone on its thread) and `fiber-ws` (one per pool thread, stealing
/// from the others). It is round_robin's FIFO for every wake-up — yield, mutex, channel, sleep, a post launch —
/// with three additions:
///  1. Depth first: a fiber that has just launched a child with launch::dispatch (a nested run_tasks) goes on
///     a stack of spawners that is served before the FIFO (newest first), so a tree unfolds depth first and
///     only its depth is alive. Every kFairShare-th pick serves the FIFO instead, so a long cascade of spawns
///     never starves the rest (the dispatcher, sleepers coming due, woken fibers).
///  2. The dispatcher every kReleaseBatch ended fibers (see fiber_ends), so ended fibers' stacks are reused.
///  3. Stealing (pool only): an idle thread takes the *oldest* spawner of a peer (the root of the largest
///     untouched subtree, as Cilk and oneTBB steal), else half of its FIFO's stealable fibers. Main and
///     dispatcher fibers are pinned to their thread and never stolen. An idle thread sleeps; a thread that
///     makes a stealable fiber ready wakes one sleeping peer (see suspend_until for why none is missed).
class DepthFirst final : public fibers::algo::algorithm {
 public:
  /// What the schedulers of one pool share.
  struct Peers {
    explicit Peers(std::size_t threads) : all(threads, nullptr) {}
    /// One slot per thread, all filled before any of the pool's threads waits for a fiber (thieves read all).
    std::vector<DepthFirst*> all;
    /// Threads asleep, or about to be, in suspend_until. On a line of its own: read whenever a stealable fiber
    /// becomes ready, written only around a sleep, so the read is a cache hit while everyone works.
    alignas(64) std::atomic<int> sleeping{0};
  };

  /// Alone on its thread.
  DepthFirst() = default;
  /// One of a pool: registers itself in slot `index` of `peers`.
  DepthFirst(Peers& peers, std::size_t index) : peers_(&peers) { peers.all[index] = this; }

  /// The flag run_nested sets around launch::dispatch: the next fiber made ready on this thread is the
  /// spawner, put back in the queue by its child's start.
  static void next_is_spawner(bool spawner) noexcept;

  void awakened(fibers::context* ctx) noexcept override;
  fibers::context* pick_next() noexcept override;
  bool has_ready_fibers() const noexcept override;
  void suspend_until(std::chrono::steady_clock::time_point const& deadline) noexcept override;
  void notify() noexcept override;

 private:
  using Fifo = fibers::scheduler::ready_queue_type;  // intrusive (the fibers' own ready hooks): no allocation

  /// A timing heuristic: how often a cascade of spawns lets the FIFO have a turn (round_robin's order for
  /// everything else); 64 keeps the detour rare and the wait of a woken fiber short.
  static constexpr std::uint64_t kFairShare = 64;
  /// Ended fibers whose stacks may wait for the dispatcher: bounds memory (per thread) against the cost of a
  /// switch to the dispatcher, paid once per batch instead of once per fiber.
  static constexpr int kReleaseBatch = 32;
  /// A timing heuristic: how long an idle pool thread looks for work before it sleeps. Long enough to cover
  /// the gaps of a fork-join being launched (a fiber's creation is a fraction of a microsecond) and the gap
  /// between two runs (the caller's wake-up, tens of µs on a VM); an idle pool then sleeps
  /// (FiberWsModel.AnIdlePoolSleepsInsteadOfSpinning).
  static constexpr std::chrono::microseconds kSpinBeforeSleep{100};
  /// The most fibers one steal takes from a FIFO (half of what is there, up to this).
  static constexpr std::int64_t kStealBatch = 32;
  /// Spawners kept in the stack when alone; deeper ones wait in the FIFO (never allocates in awakened).
  static constexpr std::size_t kSpawnerCapacity = 1024;

  /// Takes a fiber a thief may run, and maybe more for the thief's queue (`more`); on the victim, called by
  /// the thief. Null when there is none.
  fibers::context* steal(Fifo& more) noexcept;
  fibers::context* steal_from_peers() noexcept;
  void wake_a_sleeping_peer() noexcept;
  bool peers_have_work() const noexcept;
  /// False when the spawner stack is full (alone only): the spawner then waits in the FIFO.
  bool push_spawner(fibers::context* ctx) noexcept;
  fibers::context* pop_spawner() noexcept;
  fibers::context* pop_fifo() noexcept;
  bool shared() const noexcept { return peers_ != nullptr; }

  Peers* peers_ = nullptr;
  // fifo_ and dispatcher_ are guarded by lock_ when shared() (thieves take from fifo_). From here on, each
  // group on cache lines of its own: a line one thread writes and another reads at every fiber switch (the
  // first layout put a peer's `sleeping_` beside the `stealable_` its owner updates at every switch) cost a
  // cross-core miss each time, and 2 threads ran skynet slower than one.
  alignas(64) mutable SpinLock lock_;
  Fifo fifo_;
  fibers::context* dispatcher_ = nullptr;  // this thread's dispatcher, while it waits in fifo_ (owner writes)
  // This thread only.
  std::uint64_t picks_ = 0;
  int unreleased_ = 0;                                // fibers ended since the dispatcher last ran
  fibers::context* spawners_[kSpawnerCapacity] = {};  // alone: a stack of spawners, newest on top
  std::size_t spawners_size_ = 0;
  // A pool's spawners: the owner pushes and pops the newest, thieves take the oldest.
  coro::detail::StealDeque<fibers::context> shared_spawners_{64};
  // Read by peers.
  alignas(64) std::atomic<std::int64_t> stealable_{0};  // unpinned fibers in fifo_, which a thief could take
  alignas(64) std::atomic<bool> sleeping_{false};
  // Sleeping (round_robin's way): suspend_until waits for notify(). Atomic: a spinning thread reads it unlocked.
  std::mutex sleep_mutex_;
  std::condition_variable sleep_cv_;
  std::atomic<bool> notified_{false};
};

/// Installs `DepthFirst` (alone) as the calling thread's scheduler, once, before its first fiber.
void use_depth_first_alone();

/// A task's own fork-join (a nested run_tasks): launches each child at once with launch::dispatch on a cached
/// stack, the spawner waiting in DepthFirst's spawner stack meanwhile (so a tree unfolds depth first), and
/// detaches it; waits fiber-aware until every child ended; rethrows the first exception. Children are
/// counted down, not joined: a joinable fiber keeps its stack until joined, a finished tree of them a million
/// stacks. `on_start(index)` runs first in each child (fiber-ws records its thread).
template <class OnStart>
void run_nested(std::size_t tasks, const TaskBody& body, OnStart on_start);

}  // namespace concbench::fiber_detail

#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>

namespace concbench::fiber_detail {

template <class OnStart>
void run_nested(std::size_t tasks, const TaskBody& body, OnStart on_start) {
  struct Countdown {
    fibers::mutex mutex;
    fibers::condition_variable ended;
    std::size_t left;
  } countdown{{}, {}, tasks};
  FirstError errors;
  CachedStacks stacks;
  for (std::size_t index = 0; index < tasks; ++index) {
    DepthFirst::next_is_spawner(true);
    try {
      fibers::fiber(fibers::launch::dispatch, std::allocator_arg, stacks, [&, index] {
        on_start(index);
        run_catching(body, index, errors);
        {
          std::lock_guard lock(countdown.mutex);
          if (--countdown.left == 0) countdown.ended.notify_one();
        }
        fiber_ends();
      }).detach();
    } catch (...) {  // no stack or context for this child: wait for those launched, then report it
      DepthFirst::next_is_spawner(false);
      errors.capture();
      std::lock_guard lock(countdown.mutex);
      countdown.left -= tasks - index;
      break;
    }
    DepthFirst::next_is_spawner(false);  // back in the spawner (maybe on another thread): the flag is spent
  }
  {
    std::unique_lock lock(countdown.mutex);
    countdown.ended.wait(lock, [&] { return countdown.left == 0; });
  }
  errors.rethrow();
}

}  // namespace concbench::fiber_detail
