#pragma once
/// The verification tally every workload keeps across the runs Google Benchmark makes of a cell: one
/// comparison per run inside the timed loop, the reason formatted only afterwards, in verify(); and
/// `TalliedCell`, the base of every workload's cell, which keeps it with the OS threads the runs used; and
/// `ConfiguredCell`, a TalliedCell with the configuration its key gives.

#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "benchmarks/workload.hpp"

namespace concbench {

template <class Result>
class RunTally {
 public:
  /// Counts one run; keeps its result when it was wrong.
  void record(bool right, const Result& result) {
    ++runs_;
    if (!right) {
      ++wrong_runs_;
      last_wrong_ = result;
    }
  }
  bool all_right() const { return wrong_runs_ == 0; }
  /// The cell's verdict: right in every run, or `explain(the last wrong result)` — why it was wrong — with
  /// the share of wrong runs appended. `explain` returns the reason's text.
  template <class Explain>
  Verdict verdict(Explain&& explain) const {
    if (all_right()) return {};
    return {false, std::forward<Explain>(explain)(last_wrong_) + share()};
  }
  const Result& last_wrong() const { return last_wrong_; }
  /// Appended to a failure reason, e.g. " (in 3 of 120 runs)".
  std::string share() const { return fmt::format(" (in {} of {} runs)", wrong_runs_, runs_); }

 private:
  std::int64_t runs_ = 0;
  std::int64_t wrong_runs_ = 0;
  Result last_wrong_{};
};

/// What every workload's cell (CellRun) has: the tally of its runs' answers and the OS threads the last run
/// used, which make its verdict and the figures every row has. A cell records each run (`record`), says why
/// a wrong answer was wrong (`explain`, called only after the timed loop) and adds figures of its own
/// (`add_figures`: fairness, latency, metrics).
template <class Result>
class TalliedCell : public CellRun {
 public:
  Verdict verify() const final {
    return tally_.verdict([this](const Result& wrong) { return explain(wrong); });
  }
  CellFigures figures() const final {
    CellFigures figures;
    figures.workers = workers_;
    add_figures(figures);
    return figures;
  }

 protected:
  /// One run's answer, whether it was `right`, and the OS threads it used.
  void record(bool right, const Result& result, WorkerUse workers) {
    tally_.record(right, result);
    workers_ = workers;
  }
  /// Why `wrong` is not the right answer.
  virtual std::string explain(const Result& wrong) const = 0;
  virtual void add_figures(CellFigures& /*figures*/) const {}

 private:
  RunTally<Result> tally_;
  WorkerUse workers_;
};

/// A TalliedCell whose configuration comes from its key (`Config::from(key)`), once, before the cell's own
/// members are built (they may size themselves by it).
template <class Config, class Result>
class ConfiguredCell : public TalliedCell<Result> {
 protected:
  explicit ConfiguredCell(const CellKey& key) : config_(Config::from(key)) {}

  const Config& config() const { return config_; }

 private:
  Config config_;
};

}  // namespace concbench
