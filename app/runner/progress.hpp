#pragma once
/// Progress on stderr, a reporter of the run's events: a bar redrawn in place on a terminal, one plain line
/// per cell otherwise, both with the time elapsed and an estimate of the time left; at the end, a count of
/// the cells by status and the cells whose repetitions spread too much.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "harness/report/run_reporter.hpp"

namespace concbench {

/// Above this coefficient of variation of its repetitions' throughput a cell is flagged unstable (the
/// console summary; report.md's list uses the same threshold, scripts/concbench_data/stability.py).
inline constexpr double kUnstableCv = 0.10;

class Progress final : public RunReporter {
 public:
  /// `expected_s`: each cell's expected seconds, in plan order (runner/estimate.hpp).
  Progress(std::vector<double> expected_s, bool terminal);
  void cell_started(std::size_t index, const CellKey& key) override;
  void cell_finished(const CellEvent& cell) override;
  void cell_skipped(std::size_t index, const CellKey& key) override;
  void run_finished() override;

  /// "0:42 elapsed, ~6 min 10 s left": the estimate of the cells not yet done, scaled by the pace so far
  /// (elapsed over what the done cells were expected to take) once a cell has finished.
  std::string timing() const;

 private:
  std::string counter(std::size_t index) const;
  using Clock = std::chrono::steady_clock;
  std::vector<double> expected_s_;
  std::vector<bool> settled_;   // finished or skipped: no longer in the estimate
  double done_expected_s_ = 0;  // what the cells finished in this process were expected to take
  Clock::time_point started_ = Clock::now();
  bool terminal_;
  std::map<std::string, int> counts_;  // by status, skipped cells counted as ok
  std::vector<std::string> unstable_;  // "label (cv 0.23)"
};

}  // namespace concbench
