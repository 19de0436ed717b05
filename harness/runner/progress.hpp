#pragma once
/// Progress on stderr: a bar redrawn in place on a terminal, one plain line per cell otherwise; both say the
/// time elapsed and an estimate of the time left.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/cell_key.hpp"
#include "report/csv.hpp"

namespace concbench {

class Progress {
 public:
  /// `expected_s`: each cell's expected seconds, in plan order (runner/estimate.hpp).
  Progress(std::vector<double> expected_s, bool terminal);
  void start(std::size_t index, const CellKey& key);
  void finish(std::size_t index, const CellKey& key, const csv::Row& row);
  void skip(std::size_t index, const CellKey& key);  // already ok in the run being resumed
  void done();

  /// "0:42 elapsed, ~6 min 10 s left": the estimate of the cells not yet done, scaled by the pace so far
  /// (elapsed over what the done cells were expected to take) once a cell has finished.
  std::string timing() const;

 private:
  std::string counter(std::size_t index) const;
  using Clock = std::chrono::steady_clock;
  std::vector<double> expected_s_;
  std::vector<bool> settled_;  // finished or skipped: no longer in the estimate
  double done_expected_s_ = 0;  // what the cells finished in this process were expected to take
  Clock::time_point started_ = Clock::now();
  bool terminal_;
};

}  // namespace concbench
