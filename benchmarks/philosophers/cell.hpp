#pragma once
/// What the `philosophers` cells of every model family share: the config, the table, the deadlock monitor
/// around each run, the check of every run and the figures. A family's cell only seats its philosophers
/// (stackful.cpp, coroutine.cpp).

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "benchmarks/philosophers/deadlock_monitor.hpp"
#include "benchmarks/philosophers/philosophers.hpp"
#include "benchmarks/philosophers/table.hpp"
#include "benchmarks/run_tally.hpp"
#include "benchmarks/workload.hpp"

namespace concbench::philosophers {

class Cell : public ConfiguredCell<Config, RunCheck> {
 public:
  explicit Cell(const CellKey& key);

  std::int64_t items_per_run() const override {
    return static_cast<std::int64_t>(config().philosophers) * config().meals;
  }

 protected:
  using Clock = std::chrono::steady_clock;

  Table& table() { return table_; }
  /// The run in progress, counted from 1: with the seed, it picks this run's jitter.
  std::uint64_t run_index() const { return runs_; }

  /// One run: resets the table, watches it for a deadlock while `run_tasks()` (the model's fork-join of
  /// every philosopher, returning its WorkerUse) runs, then checks what the run did.
  template <class RunTasks>
  void run(RunTasks&& run_tasks) {
    table_.begin_run();
    ++runs_;
    WorkerUse workers;
    {
      DeadlockMonitor monitor(table_, config().deadlock, report_context());
      workers = run_tasks();
    }
    end_run(workers);
  }
  /// One run that happened elsewhere (an external model's peer watches for the deadlock itself): what it
  /// reported, checked as a run of the cell's own.
  void replay(const ReportedRun& reported, WorkerUse workers) {
    table_.begin_run();
    ++runs_;
    table_.replay(reported);
    end_run(workers);
  }

 private:
  void end_run(WorkerUse workers) {
    const auto check = table_.end_run();
    record(check.right(), check, workers);
  }
  std::string explain(const RunCheck& wrong) const override;
  /// Fairness (Jain's index of the meals and the waits), the waits' 99th percentile and the seed.
  void add_figures(CellFigures& figures) const override;
  std::map<std::string, std::string> report_context() const;

  Table table_;
  std::uint64_t runs_ = 0;
};

}  // namespace concbench::philosophers
