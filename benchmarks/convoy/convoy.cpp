#include "benchmarks/convoy/convoy.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "benchmarks/binding.hpp"
#include "benchmarks/run_tally.hpp"
#include "harness/core/forked_child.hpp"
#include "harness/models/interpreted.hpp"
#include "harness/models/thread.hpp"
#include "harness/stats/summary.hpp"

namespace concbench {
namespace {

/// Where the cell's pieces run, as scripts/gil_fidelity.py places CPython's: the I/O task and its echo peer on
/// the cell's first CPU, so a pipe write switches straight to the reader; the CPU task on the second (the
/// first, with one core).
struct Placement {
  int io_cpu = 0;
  int cpu_task_cpu = 0;
};

/// The cell's CPUs (the runner pins the cell's process to them): the first, and the second when there are two.
Placement placement_for(int cores) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) {
    throw std::runtime_error(fmt::format("sched_getaffinity: {}", std::strerror(errno)));
  }
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  if (cpus.empty()) throw std::runtime_error("sched_getaffinity: no CPU");
  return {cpus[0], cores >= 2 && cpus.size() >= 2 ? cpus[1] : cpus[0]};
}

cpu_set_t only(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return set;
}

/// Binds the calling thread to one CPU.
void pin_this_thread(int cpu) {
  const auto set = only(cpu);
  if (const int error = pthread_setaffinity_np(pthread_self(), sizeof(set), &set); error != 0) {
    throw std::runtime_error(fmt::format("pthread_setaffinity_np: {}", std::strerror(error)));
  }
}

/// A process that echoes every byte written to it — `os.read(r, 1)` then `os.write(w, byte)` in
/// gil_fidelity.py's forked echo — for the cell's life. It stands outside every model (it takes no lock), as
/// CPython's echo does outside its interpreter. Forked while the cell's process is still single-threaded
/// (TRAPS.md): before the model is built, before any task or Google Benchmark thread exists; the child makes
/// only async-signal-safe calls and never returns into the cell's code.
class EchoProcess {
 public:
  /// `cpu`: the CPU it runs on; negative: wherever the kernel puts it.
  explicit EchoProcess(int cpu) {
    const auto echo_process = fork_with_pipes([&](int requests, int replies) { echo(requests, replies, cpu); });
    pid_ = echo_process.pid;
    request_write_ = echo_process.to_child;
    reply_read_ = echo_process.from_child;
  }
  ~EchoProcess() {
    close(request_write_);  // end of file: the echo leaves its loop and exits
    close(reply_read_);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  EchoProcess(const EchoProcess&) = delete;
  EchoProcess& operator=(const EchoProcess&) = delete;

  int request_fd() const { return request_write_; }
  int reply_fd() const { return reply_read_; }

 private:
  /// The child: async-signal-safe calls only, then _exit.
  [[noreturn]] static void echo(int in, int out, int cpu) {
    // Tied to the cell's process, with default signal actions (fork_with_pipes). Nothing of the cell's process
    // but the two pipe ends: its result pipe above all, which the runner reads to its end.
    const int low = std::min(in, out);
    const int high = std::max(in, out);
    if (low > 0) close_range(0, static_cast<unsigned>(low - 1), 0);
    if (high > low + 1) close_range(static_cast<unsigned>(low + 1), static_cast<unsigned>(high - 1), 0);
    close_range(static_cast<unsigned>(high + 1), UINT_MAX, 0);
    if (cpu >= 0) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(cpu, &set);
      sched_setaffinity(0, sizeof(set), &set);
    }
    char byte;
    for (;;) {
      const ssize_t got = read(in, &byte, 1);
      if (got == 1) {
        if (write(out, &byte, 1) != 1) _exit(1);
      } else if (got == 0 || errno != EINTR) {
        _exit(0);
      }
    }
  }

  pid_t pid_ = -1;
  int request_write_ = -1;
  int reply_read_ = -1;
};

/// Models whose every task is an OS thread of its own, created for the task (`thread`, and the global-lock
/// models built on it): a task can stand on a CPU by pinning its thread. The others share worker threads
/// between tasks (or run them all on one), and they and the echo keep the kernel's placement.
template <class M>
constexpr bool kTaskIsAThread = std::is_same_v<M, ThreadModel> || runs_ticks<M>;

template <StackfulModel M>
class StackfulConvoy final : public convoy::Cell {
 public:
  StackfulConvoy(M model, const CellKey& key, std::unique_ptr<EchoProcess> echo, Placement placement)
      : convoy::Cell(key),
        model_(std::move(model)),
        echo_(std::move(echo)),
        placement_(placement),
        beside_cpu_(key.variant == "beside-cpu") {}

  /// The CPU-bound task runs until the I/O task is done: where tasks keep their thread to the end and there
  /// are fewer threads than tasks, the I/O task might never run.
  static std::string unsupported(const CellKey& key) {
    if (can_interleave<M>(key.tasks, key.cores)) return {};
    return fmt::format("{} tasks that wait on each other cannot interleave on {} {} thread(s)", key.tasks, key.cores,
                       key.model);
  }

  void run_once() override {
    Run run;
    const auto workers = model_.run_tasks(beside_cpu_ ? 2 : 1, [&](std::size_t task) {
      if (task == 0) {
        if constexpr (kTaskIsAThread<M>) pin_this_thread(placement_.io_cpu);
        if (beside_cpu_) wait_until_running(run);
        // Holding the lock (under a global lock): the CPU task sees the phase change the next time it holds it.
        run.phase.store(Phase::round_trips, std::memory_order_relaxed);
        const auto start = std::chrono::steady_clock::now();
        run.round_trips = io_task();
        run.span = std::chrono::steady_clock::now() - start;
        run.phase.store(Phase::done, std::memory_order_relaxed);  // ends the CPU task's loop: no data rides on it
      } else {
        if constexpr (kTaskIsAThread<M>) pin_this_thread(placement_.cpu_task_cpu);
        cpu_task(run);
      }
    });
    end_run(run.round_trips, workers);
    if (beside_cpu_ && global_lock_held<M>() && run.span.count() > 0) {
      cpu_lock_shares_.push_back(std::chrono::duration<double>(run.cpu_held) / run.span);
    }
  }

  /// Beside a CPU task on a global-lock model, `cpu_lock_share` and `cpu_lock_share_min`: the median and the
  /// smallest, over every run, of the share of the round trips' span (first write to last read) that the CPU
  /// task held the lock. Near 1: a convoy, the I/O task waited for the lock at almost every round trip; near
  /// 0: the round trips went by as if alone.
  void add_figures(CellFigures& figures) const override {
    if (!cpu_lock_shares_.empty()) {
      figures.metrics["cpu_lock_share"] = fmt::format("{:.3f}", stats::median(cpu_lock_shares_));
      figures.metrics["cpu_lock_share_min"] =
          fmt::format("{:.3f}", *std::min_element(cpu_lock_shares_.begin(), cpu_lock_shares_.end()));
    }
  }

 private:
  enum class Phase { start, round_trips, done };

  /// What the two tasks of one run share.
  struct Run {
    std::atomic<bool> cpu_running{false};
    std::atomic<Phase> phase{Phase::start};
    std::int64_t round_trips = 0;
    std::chrono::steady_clock::duration span{};  // from the first round trip's write to the last one's read
    std::chrono::nanoseconds cpu_held{0};        // how long the CPU task held the lock during that span
  };

  /// The round trips start once the CPU task is running and holds the lock — as gil_fidelity.py's CPython
  /// sleeps while its CPU thread takes the GIL, and times the round trips only once it has the GIL back.
  /// Without this the I/O task could do all its round trips before the CPU task's thread was even scheduled,
  /// and a run showed no convoy at all. A task that is a thread of its own sleeps without the lock until
  /// the CPU task says it runs (which it does holding the lock), then takes the lock back: under `gil`, a
  /// switch interval later, once its request has made the CPU task drop it. On a cooperative model the wait
  /// is a yield, so the CPU task runs meanwhile; on `sequential` the CPU task can only run after this one,
  /// and there is nothing to wait for.
  static void wait_until_running(Run& run) {
    if constexpr (kTaskIsAThread<M>) {
      blocking_call<M>([&] { run.cpu_running.wait(false, std::memory_order_acquire); });
    } else if constexpr (M::info.concurrent) {
      while (!run.cpu_running.load(std::memory_order_acquire)) M::yield();
    }
  }

  /// Round trips whose byte came back intact.
  std::int64_t io_task() {
    std::int64_t intact = 0;
    for (std::int64_t op = 0; op < ops(); ++op) {
      const char sent = static_cast<char>('a' + op % 26);
      char received = 0;
      ssize_t wrote = -1;
      ssize_t got = -1;
      blocking_call<M>([&] { wrote = write(echo_->request_fd(), &sent, 1); });
      blocking_call<M>([&] { got = read(echo_->reply_fd(), &received, 1); });
      if (wrote == 1 && got == 1 && received == sent) ++intact;
      tick<M>();
    }
    return intact;
  }

  /// CPU ticks until the I/O task has finished (a mixing chain, so the loop is real work). A global lock is
  /// taken from it at its ticks; a cooperative model (fibers) gets the thread back only when it yields,
  /// which it does every kYieldEvery rounds, as a cooperative program must. Under a global lock it measures
  /// how long it held the lock while the round trips ran: it reads the phase only while it holds the lock,
  /// and its hold time does not grow while it waits for it, so the two readings bracket the span exactly.
  static void cpu_task(Run& run) {
    run.cpu_running.store(true, std::memory_order_release);
    run.cpu_running.notify_one();
    constexpr int kYieldEvery = 1000;
    std::optional<std::chrono::nanoseconds> held_at_start;
    std::uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int round = 1;; ++round) {
      const auto phase = run.phase.load(std::memory_order_relaxed);
      if (phase == Phase::done) break;
      if (phase == Phase::round_trips && !held_at_start) held_at_start = global_lock_held<M>();
      x ^= x >> 31;
      x *= 0xbf58476d1ce4e5b9ULL;
      tick<M>();
      if constexpr (!runs_ticks<M>) {
        if (round % kYieldEvery == 0) M::yield();
      }
    }
    sink_.store(x, std::memory_order_relaxed);  // keeps the chain from being optimised away
    if (held_at_start) run.cpu_held = *global_lock_held<M>() - *held_at_start;
  }

  static inline std::atomic<std::uint64_t> sink_{0};
  M model_;
  std::unique_ptr<EchoProcess> echo_;
  Placement placement_;
  bool beside_cpu_;
  std::vector<double> cpu_lock_shares_;
};

/// Its stackful body: make_stackful_cell (binding.hpp), with the echo process forked before the model is built:
/// some models start threads when they are built, and the fork must come first.
CellSetup make_convoy_cell(const CellKey& key, const ModelContext& context) {
  return bind_model<StackfulModels>(key, [&]<class M>() -> CellSetup {
    using Cell = StackfulConvoy<M>;
    if (auto reason = Cell::unsupported(key); !reason.empty()) return {nullptr, std::move(reason)};
    const auto placement = placement_for(key.cores);
    auto echo = std::make_unique<EchoProcess>(kTaskIsAThread<M> ? placement.io_cpu : -1);
    return {std::make_unique<Cell>(model_for<M>(context), key, std::move(echo), placement), {}};
  });
}

}  // namespace

std::string convoy::Cell::explain(const std::int64_t& got) const {
  return fmt::format("{} round trips came back, expected {}", got, ops_);
}

WorkloadSpec convoy_workload() {
  WorkloadSpec spec{
      .name = "convoy",
      .description = "an I/O-bound task alone or beside a CPU-bound one (the convoy effect of a global lock)",
      .variants = {"alone", "beside-cpu"}};
  spec.params = {
      {"tasks", "tasks: the I/O task, plus the CPU-bound one beside it", "tasks", {"1"}, {}, 1, 1, {"alone"}},
      {"tasks", "tasks: the I/O task, plus the CPU-bound one beside it", "tasks", {"2"}, {}, 2, 2, {"beside-cpu"}},
      // Beside a CPU task under `gil`, a round trip can cost a whole switch interval (5 ms): 200 of them are
      // about a second per run, which keeps the default plan within its ten minutes.
      {"ops",
       "round trips to the echo peer (write one byte, read it back) per run",
       "ops",
       {"200"},
       {"50"},
       1,
       100000000,
       {}},
  };
  // No coroutine body: a round trip is a blocking call.
  spec.bindings = {.stackful = make_convoy_cell, .external = convoy::external_body};
  return spec;
}

}  // namespace concbench
