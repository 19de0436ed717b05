#pragma once
/// The reporters that write a run's files (docs/csv-schema.md): the three CSV files, benchmark.json and
/// machine.json. Each file is written as the cells finish, so a killed run keeps what it had.

#include <cstdint>
#include <vector>

#include "harness/report/csv.hpp"
#include "harness/report/machine_json.hpp"
#include "harness/report/run_directory.hpp"
#include "harness/report/run_reporter.hpp"

namespace concbench {

/// results.csv, repetitions.csv and metrics.csv: one appended, flushed row (or rows) per finished cell.
class CsvReporter final : public RunReporter {
 public:
  CsvReporter(const RunDirectory& dir, RunColumns run);
  void cell_finished(const CellEvent& cell) override;

 private:
  RunColumns run_;
  csv::Appender results_, repetitions_, metrics_;
};

/// benchmark.json: Google Benchmark's JSON of every cell, merged. Each cell's entries are appended in place
/// (the closing brackets rewritten after them), so the file is valid after every cell and writing it costs
/// the size of the cell, not of the run so far.
class BenchmarkJsonReporter final : public RunReporter {
 public:
  /// `kept`: plan indices of cells kept from the run being resumed, whose JSON the file starts with.
  BenchmarkJsonReporter(const RunDirectory& dir, const std::vector<std::size_t>& kept);
  void cell_finished(const CellEvent& cell) override;

 private:
  void append_cell(std::size_t index);
  RunDirectory dir_;
  bool has_context_ = false;
  bool has_entries_ = false;
  std::uintmax_t tail_at_ = 0;  // where the closing brackets start
};

/// machine.json: written before the first cell, rewritten once the first cell tells Google Benchmark's
/// library build type.
class MachineJsonReporter final : public RunReporter {
 public:
  MachineJsonReporter(const RunDirectory& dir, MachineInfo machine, RunFacts facts);
  void cell_finished(const CellEvent& cell) override;

 private:
  RunDirectory dir_;
  MachineInfo machine_;
  RunFacts facts_;
};

}  // namespace concbench
