#include "convoy/convoy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "models/interpreted.hpp"
#include "run_tally.hpp"
#include "stats/summary.hpp"

namespace concbench {
namespace {

/// A peer that echoes every byte written to it, on its own thread outside any model, for the cell's life.
class EchoPeer {
 public:
  EchoPeer() {
    int to_peer[2];
    int from_peer[2];
    if (pipe2(to_peer, O_CLOEXEC) != 0 || pipe2(from_peer, O_CLOEXEC) != 0) {
      throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
    }
    request_write_ = to_peer[1];
    reply_read_ = from_peer[0];
    peer_ = std::thread([in = to_peer[0], out = from_peer[1]] {
      char byte;
      while (read(in, &byte, 1) == 1) {
        if (write(out, &byte, 1) != 1) break;
      }
      close(in);
      close(out);
    });
  }
  ~EchoPeer() {
    close(request_write_);  // end of file: the peer leaves its loop
    peer_.join();
    close(reply_read_);
  }
  EchoPeer(const EchoPeer&) = delete;
  EchoPeer& operator=(const EchoPeer&) = delete;

  int request_fd() const { return request_write_; }
  int reply_fd() const { return reply_read_; }

 private:
  int request_write_ = -1;
  int reply_read_ = -1;
  std::thread peer_;
};

template <StackfulModel M>
class StackfulConvoy final : public CellRun {
 public:
  StackfulConvoy(M model, const CellKey& key)
      : model_(std::move(model)), ops_(key.params.get_int("ops")), beside_cpu_(key.variant == "beside-cpu") {}

  /// The CPU-bound task runs until the I/O task is done: where tasks keep their thread to the end and there
  /// are fewer threads than tasks, the I/O task might never run.
  static std::string unsupported(const CellKey& key) {
    if (can_interleave<M>(key.tasks, key.cores)) return {};
    return fmt::format("{} tasks that wait on each other cannot interleave on {} {} thread(s)", key.tasks,
                       key.cores, key.model);
  }

  std::int64_t items_per_run() const override { return ops_; }

  void run_once() override {
    std::atomic<bool> io_done{false};
    std::int64_t round_trips = 0;
    std::chrono::nanoseconds cpu_held{0};
    const auto start = std::chrono::steady_clock::now();
    workers_ = model_.run_tasks(beside_cpu_ ? 2 : 1, [&](std::size_t task) {
      if (task == 0) {
        round_trips = io_task();
        io_done.store(true, std::memory_order_relaxed);  // only ends the CPU task's loop: no data rides on it
      } else {
        cpu_held = cpu_task(io_done);
      }
    });
    const auto run = std::chrono::steady_clock::now() - start;
    tally_.record(round_trips == ops_, round_trips);
    if (beside_cpu_ && global_lock_held<M>()) {
      cpu_lock_shares_.push_back(std::chrono::duration<double>(cpu_held) / run);
    }
  }

  Verdict verify() const override {
    return tally_.verdict(
        [&](std::int64_t got) { return fmt::format("{} round trips came back, expected {}", got, ops_); });
  }

  /// Beside a CPU task on a global-lock model, `cpu_lock_share` and `cpu_lock_share_min`: the median and the
  /// smallest share of a run's time (its fork-join) that the CPU task held the lock, over every run.
  CellFigures figures() const override {
    CellFigures figures{workers_, {}, {}, {}, {}};
    if (!cpu_lock_shares_.empty()) {
      figures.metrics["cpu_lock_share"] = fmt::format("{:.3f}", stats::median(cpu_lock_shares_));
      figures.metrics["cpu_lock_share_min"] =
          fmt::format("{:.3f}", *std::min_element(cpu_lock_shares_.begin(), cpu_lock_shares_.end()));
    }
    return figures;
  }

  /// The share of each run so far that the CPU task held the global lock (beside-cpu, global-lock models).
  const std::vector<double>& cpu_lock_shares() const { return cpu_lock_shares_; }

 private:
  /// Round trips whose byte came back intact.
  std::int64_t io_task() {
    std::int64_t intact = 0;
    for (std::int64_t op = 0; op < ops_; ++op) {
      const char sent = static_cast<char>('a' + op % 26);
      char received = 0;
      ssize_t wrote = -1;
      ssize_t got = -1;
      blocking_call<M>([&] { wrote = write(peer_.request_fd(), &sent, 1); });
      blocking_call<M>([&] { got = read(peer_.reply_fd(), &received, 1); });
      if (wrote == 1 && got == 1 && received == sent) ++intact;
      tick<M>();
    }
    return intact;
  }

  /// CPU ticks until the I/O task has finished (a mixing chain, so the loop is real work). A global lock is
  /// taken from it at its ticks; a cooperative model (fibers) gets the thread back only when it yields,
  /// which it does every kYieldEvery rounds, as a cooperative program must.
  /// Returns how long it held the global lock (zero on models without one).
  static std::chrono::nanoseconds cpu_task(const std::atomic<bool>& io_done) {
    const auto held_before = global_lock_held<M>();
    constexpr int kYieldEvery = 1000;
    std::uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (int round = 1; !io_done.load(std::memory_order_relaxed); ++round) {
      x ^= x >> 31;
      x *= 0xbf58476d1ce4e5b9ULL;
      tick<M>();
      if constexpr (!requires { M::checkpoint(); }) {
        if (round % kYieldEvery == 0) M::yield();
      }
    }
    sink_.store(x, std::memory_order_relaxed);  // keeps the chain from being optimised away
    return held_before ? *global_lock_held<M>() - *held_before : std::chrono::nanoseconds{0};
  }

  static inline std::atomic<std::uint64_t> sink_{0};
  M model_;
  EchoPeer peer_;
  std::int64_t ops_;
  bool beside_cpu_;
  WorkerUse workers_;
  RunTally<std::int64_t> tally_;
  std::vector<double> cpu_lock_shares_;
};

}  // namespace

WorkloadSpec convoy_workload() {
  WorkloadSpec spec;
  spec.name = "convoy";
  spec.description = "an I/O-bound task alone or beside a CPU-bound one (the convoy effect of a global lock)";
  spec.variants = {"alone", "beside-cpu"};
  spec.params = {
      {"tasks", "tasks: the I/O task, plus the CPU-bound one beside it", "tasks", {"1"}, {}, 1, 1, {"alone"}},
      {"tasks", "tasks: the I/O task, plus the CPU-bound one beside it", "tasks", {"2"}, {}, 2, 2, {"beside-cpu"}},
      // Beside a CPU task under `gil`, a round trip can cost a whole switch interval (5 ms): 200 of them are
      // about a second per run, which keeps the default plan within its ten minutes.
      {"ops", "round trips to the echo peer (write one byte, read it back) per run", "ops", {"200"}, {"50"}, 1,
       100000000, {}},
  };
  spec.make = [](const CellKey& key) { return make_stackful_cell<StackfulConvoy>(key); };
  return spec;
}

}  // namespace concbench
