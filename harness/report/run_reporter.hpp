#pragma once
/// The run as a stream of events, and the reporters that write it (Google Benchmark's BenchmarkReporter is
/// the pattern): the CSV files, benchmark.json, machine.json and the progress on the console each listen to
/// the same events, so the runner only runs cells.

#include <cstddef>
#include <memory>
#include <vector>

#include "harness/core/cell_key.hpp"
#include "harness/core/cell_result.hpp"
#include "harness/report/result_row.hpp"

namespace concbench {

/// One finished cell, as every reporter sees it.
struct CellEvent {
  std::size_t index;  // in the plan
  const CellKey& key;
  const CellResult& result;
  const ResultRow& row;
};

class RunReporter {
 public:
  virtual ~RunReporter() = default;
  virtual void cell_started(std::size_t /*index*/, const CellKey& /*key*/) {}
  /// Already ok in the run being resumed: not measured again.
  virtual void cell_skipped(std::size_t /*index*/, const CellKey& /*key*/) {}
  virtual void cell_finished(const CellEvent& cell) = 0;
  virtual void run_finished() {}
};

/// Sends every event to each of its reporters, in the order they were added.
class Reporters final : public RunReporter {
 public:
  void add(std::unique_ptr<RunReporter> reporter) { reporters_.push_back(std::move(reporter)); }
  void cell_started(std::size_t index, const CellKey& key) override {
    for (auto& reporter : reporters_) reporter->cell_started(index, key);
  }
  void cell_skipped(std::size_t index, const CellKey& key) override {
    for (auto& reporter : reporters_) reporter->cell_skipped(index, key);
  }
  void cell_finished(const CellEvent& cell) override {
    for (auto& reporter : reporters_) reporter->cell_finished(cell);
  }
  void run_finished() override {
    for (auto& reporter : reporters_) reporter->run_finished();
  }

 private:
  std::vector<std::unique_ptr<RunReporter>> reporters_;
};

}  // namespace concbench
