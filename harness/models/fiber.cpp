#include "harness/models/fiber.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>
#include <utility>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/mutex.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/type.hpp>

#include "harness/models/fiber_detail.hpp"
#include "harness/models/first_error.hpp"
#include "harness/models/spin_pause.hpp"

namespace concbench {

static_assert(CompleteStackfulModel<FiberModel>);

namespace {

using namespace fiber_detail;

template <class Impl, class Storage>
Impl& impl(Storage& storage) {
  static_assert(sizeof(Impl) <= sizeof(storage.bytes) && alignof(Impl) <= 8, "wrapper storage too small");
  return *std::launder(reinterpret_cast<Impl*>(&storage.bytes));
}

/// Whether the caller is a task of this model (a fiber), not the thread that calls run_tasks from outside.
bool in_fiber_task() { return !fibers::context::active()->is_context(fibers::type::main_context); }

}  // namespace

// ---- fiber_detail: the stack cache ----------------------------------------------------------------------

namespace fiber_detail {
namespace {

constexpr std::uint64_t kCanary = 0x5AFE57AC4C0FFEE5;  // at each stack's bottom, checked on return
constexpr unsigned char kPaint = 0xA5;                 // measure_use's pattern
constexpr std::size_t kPage = 4096;
constexpr std::size_t kLine = 64;
constexpr std::size_t kColours = 32;
constexpr std::size_t kCanaryBytes = kLine;  // the bottom line holds the canary and is never handed out

std::atomic<bool> measuring{false};
std::atomic<std::size_t> deepest{0};
std::atomic<std::size_t> painted_out{0};  // painted stacks handed out and not back
std::atomic<std::size_t> most_painted_out{0};

void record_most(std::atomic<std::size_t>& most, std::size_t now) noexcept {
  for (auto seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
  }
}

thread_local StackCache* installed_cache = nullptr;

/// Under ASan: clears the poison a previous fiber's frames left on a stack. ASan poisons the redzones around a
/// function's locals and unpoisons them when the function returns, but a fiber's stack is switched away from
/// (fcontext, which ASan does not follow) with frames still on it, so a reused stack keeps stale poison: the
/// next fiber's uninstrumented code there (and measure_use's memset) was reported as a stack-buffer-underflow.
void unpoison([[maybe_unused]] char* memory, [[maybe_unused]] std::size_t bytes) noexcept {
#if defined(__SANITIZE_ADDRESS__)
  ASAN_UNPOISON_MEMORY_REGION(memory, bytes);
#endif
}

}  // namespace

/// The cache a thread makes for itself on first use (fiber's thread, a test's thread). Its stacks may still be
/// out when the thread ends: Boost.Fiber frees ended fibers in its own thread-local teardown, which may run
/// after this one. So the cache retires instead of dying, and frees itself when its last stack comes back.
class ThreadStacks {
 public:
  ~ThreadStacks() { cache->retire(); }
  StackCache* cache = new StackCache();
};

StackCache::~StackCache() {
  for (Header* list : {free_, returned_.exchange(nullptr, std::memory_order_acquire)}) {
    while (list != nullptr) std::free(std::exchange(list, list->next)->block);
  }
}

// The thread-local accessors that a fiber calls are never inlined: a fiber of fiber-ws may move to another
// thread inside the function that calls them, and GCC may keep a thread-local's address from before the move
// (it takes the thread pointer as constant within a function).
[[gnu::noinline]] StackCache& StackCache::for_this_thread() {
  if (installed_cache == nullptr) {
    thread_local ThreadStacks own;
    installed_cache = own.cache;
  }
  return *installed_cache;
}

void StackCache::install(StackCache& cache) noexcept { installed_cache = &cache; }

boost::context::stack_context StackCache::allocate() {
  if (free_ == nullptr) {
    // Acquire: pairs with the release of the threads that gave these back (their last writes to the stacks).
    free_ = returned_.exchange(nullptr, std::memory_order_acquire);
    for (Header* back = free_; back != nullptr; back = back->next) --outstanding_;
  }
  Header* header = free_;
  if (header != nullptr) {
    free_ = header->next;
  } else {
    // Page-aligned, so a stack shares no page with other data (and RSS counts only the pages it touched).
    auto* block = static_cast<char*>(std::aligned_alloc(kPage, bytes_));
    if (block == nullptr) throw std::bad_alloc();
    std::memcpy(block, &kCanary, sizeof(kCanary));
    header = reinterpret_cast<Header*>(block + bytes_ - sizeof(Header));
    header->home = this;
    header->block = block;
    // The colour: how far below the header this stack's top sits (header_of relies on it staying in the page).
    static_assert(kColours * kLine + sizeof(Header) <= kPage);
    header->top = reinterpret_cast<char*>(header) - made_++ % kColours * kLine;
  }
  ++outstanding_;
  boost::context::stack_context stack;
  stack.sp = header->top;
  stack.size = static_cast<std::size_t>(header->top - header->block) - kCanaryBytes;
  unpoison(header->block + kCanaryBytes, stack.size);
  header->painted = measuring.load(std::memory_order_relaxed);
  if (header->painted) {
    std::memset(header->block + kCanaryBytes, kPaint, stack.size);
    record_most(most_painted_out, painted_out.fetch_add(1) + 1);
  }
  return stack;
}

StackCache::Header* StackCache::header_of(const boost::context::stack_context& stack) noexcept {
  // The header ends the stack's last page, and the top (sp) lies within that page.
  const auto top = reinterpret_cast<std::uintptr_t>(stack.sp);
  return reinterpret_cast<Header*>((top + kPage - 1) / kPage * kPage - sizeof(Header));
}

void StackCache::deallocate(boost::context::stack_context& stack) noexcept {
  Header* header = header_of(stack);
#ifndef NDEBUG
  if (std::memcmp(header->block, &kCanary, sizeof(kCanary)) != 0) {
    std::fprintf(stderr, "concbench: a fiber overran its %zu KiB stack (fiber_detail::kStackBytes)\n",
                 static_cast<std::size_t>(reinterpret_cast<char*>(header + 1) - header->block) / 1024);
    std::abort();
  }
#endif
  if (header->painted) {
    unpoison(header->block + kCanaryBytes, stack.size);
    const auto* bottom = reinterpret_cast<const unsigned char*>(header->block + kCanaryBytes);
    std::size_t untouched = 0;
    while (untouched < stack.size && bottom[untouched] == kPaint) ++untouched;
    record_most(deepest, stack.size - untouched);
    painted_out.fetch_sub(1);
  }
  StackCache* home = header->home;
  if (home == installed_cache) {
    home->give_back(header);
    return;
  }
  // Another thread's stack (fiber-ws: the fiber ended where it was stolen to). Release: the owner's acquire
  // in allocate() sees this thread's last writes to it before reusing it.
  header->next = home->returned_.load(std::memory_order_relaxed);
  while (!home->returned_.compare_exchange_weak(header->next, header, std::memory_order_release,
                                                std::memory_order_relaxed)) {
  }
}

void StackCache::give_back(Header* header) noexcept {
  --outstanding_;
  if (retired_) {
    std::free(header->block);
    if (outstanding_ == 0) delete this;
    return;
  }
  header->next = free_;
  free_ = header;
}

void StackCache::retire() noexcept {
  if (outstanding_ == 0) {
    delete this;
    return;
  }
  retired_ = true;
  while (free_ != nullptr) std::free(std::exchange(free_, free_->next)->block);
}

void StackCache::measure_use(bool on) noexcept {
  if (on) {
    deepest.store(0);
    most_painted_out.store(painted_out.load());
  }
  measuring.store(on);
}

std::size_t StackCache::deepest_use() noexcept { return deepest.load(); }

std::size_t StackCache::most_out() noexcept { return most_painted_out.load(); }

// ---- fiber_detail: the scheduler ------------------------------------------------------------------------

namespace {

thread_local bool next_spawner = false;  // see DepthFirst::next_is_spawner
thread_local bool fiber_ending = false;  // see fiber_ends

bool pinned(const fibers::context* ctx) noexcept { return ctx->is_context(fibers::type::pinned_context); }

}  // namespace

[[gnu::noinline]] void fiber_ends() noexcept { fiber_ending = true; }

void SpinLock::lock() noexcept {
  for (int spins = 0; !try_lock();) {
    while (locked_.load(std::memory_order_relaxed)) {
      // The holder may have been preempted on a shared vCPU: after a short spin, give the core up.
      if (++spins < 100) {
        spin_pause();
      } else {
        std::this_thread::yield();
      }
    }
  }
}

[[gnu::noinline]] void DepthFirst::next_is_spawner(bool spawner) noexcept { next_spawner = spawner; }

void DepthFirst::awakened(fibers::context* ctx) noexcept {
  const bool spawner = std::exchange(next_spawner, false);
  if (pinned(ctx)) {  // main and dispatcher fibers: round_robin's place, never stolen
    std::unique_lock lock(lock_, std::defer_lock);
    if (shared()) lock.lock();
    ctx->ready_link(fifo_);
    if (ctx->is_context(fibers::type::dispatcher_context)) dispatcher_ = ctx;
    return;
  }
  if (shared()) ctx->detach();  // may run on any pool thread: the one that picks it attaches it
  if (!spawner || !push_spawner(ctx)) {
    std::unique_lock lock(lock_, std::defer_lock);
    if (shared()) lock.lock();
    ctx->ready_link(fifo_);
    // seq_cst: one side of the sleep/wake handshake (see suspend_until; a spawner's push is the other kind).
    if (shared()) stealable_.fetch_add(1, std::memory_order_seq_cst);
  }
  if (shared()) wake_a_sleeping_peer();
}

bool DepthFirst::push_spawner(fibers::context* ctx) noexcept {
  if (shared()) {
    // Lock-free for the owner (a seq_cst store), stolen from the other end: the spawners are what a tree
    // pushes and pops at every fiber switch. Grows with the tree's depth (an allocation failure here, inside
    // a noexcept scheduler hook, ends the process).
    shared_spawners_.push(ctx);
    return true;
  }
  if (spawners_size_ == kSpawnerCapacity) return false;  // deeper ones wait in the FIFO (never allocates)
  spawners_[spawners_size_++] = ctx;
  return true;
}

fibers::context* DepthFirst::pop_spawner() noexcept {
  if (shared()) return shared_spawners_.pop();
  return spawners_size_ > 0 ? spawners_[--spawners_size_] : nullptr;  // the newest: depth first
}

fibers::context* DepthFirst::pop_fifo() noexcept {
  std::unique_lock lock(lock_, std::defer_lock);
  if (shared()) lock.lock();
  if (fifo_.empty()) return nullptr;
  fibers::context* ctx = &fifo_.front();
  fifo_.pop_front();
  if (ctx == dispatcher_) {
    dispatcher_ = nullptr;
  } else if (shared() && !pinned(ctx)) {
    stealable_.fetch_sub(1, std::memory_order_relaxed);
  }
  return ctx;
}

fibers::context* DepthFirst::pick_next() noexcept {
  if (std::exchange(fiber_ending, false)) ++unreleased_;  // this pick is that fiber's termination
  fibers::context* ctx = nullptr;
  if (dispatcher_ != nullptr && unreleased_ >= kReleaseBatch) {  // dispatcher_ is written by this thread only
    std::unique_lock lock(lock_, std::defer_lock);
    if (shared()) lock.lock();
    ctx = std::exchange(dispatcher_, nullptr);  // it frees the ended fibers, then picks again
    fifo_.erase(fifo_.iterator_to(*ctx));
  } else if (++picks_ % kFairShare != 0) {
    ctx = pop_spawner();
    if (ctx == nullptr) ctx = pop_fifo();
  } else {
    ctx = pop_fifo();
    if (ctx == nullptr) ctx = pop_spawner();
  }
  if (ctx == nullptr && shared()) ctx = steal_from_peers();
  if (ctx == nullptr) return nullptr;
  if (ctx->is_context(fibers::type::dispatcher_context)) unreleased_ = 0;
  if (shared() && !pinned(ctx)) fibers::context::active()->attach(ctx);
  return ctx;
}

bool DepthFirst::has_ready_fibers() const noexcept {
  std::unique_lock lock(lock_, std::defer_lock);
  if (shared()) lock.lock();
  return spawners_size_ > 0 || !shared_spawners_.empty() || !fifo_.empty();
}

fibers::context* DepthFirst::steal(Fifo& more) noexcept {
  // The oldest spawner first: the highest node still spawning, whose remaining children are the most work.
  if (fibers::context* ctx = shared_spawners_.steal()) return ctx;
  const auto available = stealable_.load(std::memory_order_relaxed);
  if (available <= 0) return nullptr;  // without the lock: nothing to take
  std::lock_guard lock(lock_);
  fibers::context* ctx = nullptr;
  std::int64_t taken = 0;
  // Half of the FIFO's stealable fibers (Go's runqsteal): a flat fork-join of tiny fibers is spread in a few
  // steals instead of one lock round trip per fiber. Pinned ones (this thread's main and dispatcher, at most
  // two) stay.
  const auto want = std::min<std::int64_t>((available + 1) / 2, kStealBatch);
  for (auto it = fifo_.begin(); it != fifo_.end() && taken < want;) {
    fibers::context* each = &*it;
    if (pinned(each)) {
      ++it;
      continue;
    }
    it = fifo_.erase(it);
    if (ctx == nullptr) {
      ctx = each;
    } else {
      each->ready_link(more);
    }
    ++taken;
  }
  stealable_.fetch_sub(taken, std::memory_order_relaxed);
  return ctx;
}

fibers::context* DepthFirst::steal_from_peers() noexcept {
  Fifo more;
  fibers::context* ctx = nullptr;
  for (auto* peer : peers_->all) {
    if (peer != this && (ctx = peer->steal(more)) != nullptr) break;
  }
  if (!more.empty()) {
    // The rest of a batch: ours now, and stealable again by the others.
    std::int64_t moved = 0;
    {
      std::lock_guard lock(lock_);
      while (!more.empty()) {
        fibers::context* each = &more.front();
        more.pop_front();
        each->ready_link(fifo_);
        ++moved;
      }
      stealable_.fetch_add(moved, std::memory_order_seq_cst);
    }
    wake_a_sleeping_peer();
  }
  return ctx;
}

bool DepthFirst::peers_have_work() const noexcept {
  for (const auto* peer : peers_->all) {
    if (peer != this && (peer->stealable_.load(std::memory_order_seq_cst) > 0 || !peer->shared_spawners_.empty())) {
      return true;
    }
  }
  return false;
}

void DepthFirst::wake_a_sleeping_peer() noexcept {
  // seq_cst: the other side of suspend_until's handshake (it counts itself, then looks for work).
  if (peers_->sleeping.load(std::memory_order_seq_cst) == 0) return;
  for (auto* peer : peers_->all) {
    // The exchange claims the sleeper, so the next ready fiber wakes another one.
    if (peer != this && peer->sleeping_.load(std::memory_order_seq_cst) &&
        peer->sleeping_.exchange(false, std::memory_order_seq_cst)) {
      peer->notify();  // sets the flag its wait checks, even if it has not started waiting yet
      return;
    }
  }
}

void DepthFirst::suspend_until(std::chrono::steady_clock::time_point const& deadline) noexcept {
  if (shared()) {
    // Spin a little first: in a fork-join of tiny fibers a thief runs out of stolen work again and again while
    // the launching thread makes more every fraction of a microsecond; sleeping each time cost a futex wake
    // and two context switches per few fibers (1.5 µs per fiber on 2 threads, 3x the 1-thread time).
    // Pause, never sched_yield: with anything else runnable (a build at nice 19) a yield handed the CPU over
    // for a whole time slice (a 0.3 ms run took milliseconds); the caller of run_tasks, woken from its wait,
    // preempts a spinning thread anyway.
    const auto spin_until = std::min(deadline, std::chrono::steady_clock::now() + kSpinBeforeSleep);
    while (!peers_have_work() && !notified_.load(std::memory_order_acquire) &&
           std::chrono::steady_clock::now() < spin_until) {
      for (int i = 0; i < 32; ++i) spin_pause();
    }
    // A thread about to sleep announces it, then looks for work at its peers; a thread making a fiber
    // stealable counts it, then looks for a sleeper (awakened, wake_a_sleeping_peer). Both sides are seq_cst
    // (the store-buffer pattern), so at least one sees the other: a stealable fiber is never left while every
    // peer sleeps.
    // The flag first, then the count: a waker that sees the count finds the flag set.
    sleeping_.store(true, std::memory_order_seq_cst);
    peers_->sleeping.fetch_add(1, std::memory_order_seq_cst);
    if (peers_have_work()) {
      sleeping_.store(false, std::memory_order_relaxed);
      peers_->sleeping.fetch_sub(1, std::memory_order_relaxed);
      return;  // the dispatcher's loop picks again, and steals
    }
  }
  {
    std::unique_lock lock(sleep_mutex_);
    const auto woken = [this] { return notified_.load(std::memory_order_relaxed); };
    if (deadline == std::chrono::steady_clock::time_point::max()) {
      sleep_cv_.wait(lock, woken);
    } else {
      sleep_cv_.wait_until(lock, deadline, woken);
    }
    notified_.store(false, std::memory_order_relaxed);
  }
  if (shared()) {
    sleeping_.store(false, std::memory_order_relaxed);
    peers_->sleeping.fetch_sub(1, std::memory_order_relaxed);
  }
}

void DepthFirst::notify() noexcept {
  {
    std::lock_guard lock(sleep_mutex_);
    notified_.store(true, std::memory_order_release);  // release: a spinning suspend_until sees it at once
  }
  sleep_cv_.notify_one();
}

void use_depth_first_alone() {
  thread_local const bool installed = [] {
    fibers::use_scheduling_algorithm<DepthFirst>();
    return true;
  }();
  (void)installed;
}

}  // namespace fiber_detail

FiberMutex::FiberMutex() { new (&storage_.bytes) fibers::mutex(); }
FiberMutex::~FiberMutex() { impl<fibers::mutex>(storage_).~mutex(); }
void FiberMutex::lock() { impl<fibers::mutex>(storage_).lock(); }
bool FiberMutex::try_lock() { return impl<fibers::mutex>(storage_).try_lock(); }
void FiberMutex::unlock() { impl<fibers::mutex>(storage_).unlock(); }

FiberCondVar::FiberCondVar() { new (&storage_.bytes) fibers::condition_variable(); }
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
  if (in_fiber_task()) {
    run_nested(tasks, body, [](std::size_t) {});
    return {1, "fiber-per-task"};
  }
  use_depth_first_alone();
  CachedStacks stacks;
  // An exception escaping a fiber calls std::terminate: each fiber keeps its own in `errors`.
  FirstError errors;
  std::vector<fibers::fiber> launched;
  launched.reserve(tasks);
  // launch::post (the default): each new fiber is queued, so every task is launched before any runs;
  // the joins below suspend the caller's main fiber and the tasks run in launch order.
  for (std::size_t index = 0; index < tasks; ++index) {
    launched.emplace_back(std::allocator_arg, stacks, [&body, &errors, index] {
      run_catching(body, index, errors);
      fiber_ends();
    });
  }
  for (auto& fiber : launched) fiber.join();
  errors.rethrow();
  return {1, "fiber-per-task"};
}

void FiberPrimitives::block_for(std::chrono::nanoseconds wait) { boost::this_fiber::sleep_for(wait); }

void FiberPrimitives::yield() { boost::this_fiber::yield(); }

void FiberModel::measure_stack_use(bool on) noexcept { StackCache::measure_use(on); }

std::size_t FiberModel::deepest_stack_use() noexcept { return StackCache::deepest_use(); }

std::size_t FiberModel::most_stacks_in_use() noexcept { return StackCache::most_out(); }

}  // namespace concbench
