#include "benchmarks/selftest/selftest.hpp"

#include <atomic>
#include <csignal>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "benchmarks/run_tally.hpp"
#include "harness/core/deadlock.hpp"

namespace concbench {
namespace {

template <StackfulModel M>
class SelfTest final : public CellRun {
 public:
  SelfTest(M model, const CellKey& key)
      : model_(std::move(model)),
        variant_(key.variant),
        tasks_(key.tasks),
        seed_(key.params.has("seed") ? key.params.get_int("seed") : 0) {}

  std::int64_t items_per_run() const override { return tasks_; }

  void run_once() override {
    std::atomic<std::int64_t> sum{0};
    workers_ = model_.run_tasks(static_cast<std::size_t>(tasks_), [&](std::size_t task) {
      misbehave();
      sum.fetch_add(static_cast<std::int64_t>(task) + 1, std::memory_order_relaxed);
    });
    const auto expected = tasks_ * (tasks_ + 1) / 2;
    const auto got = sum.load() + (variant_ == "wrong" ? 1 : 0);
    tally_.record(got == expected, got);
  }

  Verdict verify() const override {
    return tally_.verdict(
        [&](std::int64_t got) { return fmt::format("sum {}, expected {}", got, tasks_ * (tasks_ + 1) / 2); });
  }

  CellFigures figures() const override { return {workers_, {}, {}, {}, {}}; }

 private:
  void misbehave() const {
    if (variant_ == "hang") {
      for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    }
    if (variant_ == "crash") std::raise(SIGSEGV);
    if (variant_ == "throw") throw std::runtime_error("selftest task threw on purpose");
    // A deadlock that depends on chance, made deterministic: odd seeds "deadlock" (trials test the share).
    if (variant_ == "deadlock" && seed_ % 2 == 1) {
      report_deadlock(
          {fmt::format("selftest deadlock on purpose (seed {})", seed_), {{"seed", std::to_string(seed_)}}});
    }
  }

  M model_;
  std::string variant_;
  std::int64_t tasks_;
  std::int64_t seed_;
  WorkerUse workers_;
  RunTally<std::int64_t> tally_;
};

}  // namespace

WorkloadSpec selftest_workload() {
  WorkloadSpec spec;
  spec.name = "selftest";
  spec.description = "testing aid: cells that pass, hang, crash, give a wrong answer or throw";
  spec.variants = {"ok", "hang", "crash", "wrong", "throw", "deadlock"};
  spec.params = {{"tasks", "tasks per run", "tasks", {"2"}, {}, 1, 1000, {}},
                 {"seed", "odd seeds report a deadlock", "", {"1"}, {}, 0, 1000000, {"deadlock"}}};
  spec.trial_variants = {"deadlock"};
  spec.hidden = true;
  spec.make = [](const CellKey& key, const ModelContext& context) {
    return make_stackful_cell<SelfTest>(key, context);
  };
  return spec;
}

}  // namespace concbench
