#pragma once
/// One run's output directory, `reports/<host>-<UTC timestamp>/` (the files are listed in docs/csv-schema.md).

#include <filesystem>
#include <string>
#include <vector>

namespace concbench {

class RunDirectory {
 public:
  /// Makes a new `<parent>/<host>-<timestamp>` and checks it can be written; throws std::runtime_error.
  static RunDirectory create(const std::filesystem::path& parent, const std::string& host);
  /// Opens an earlier run's directory to finish it; throws std::runtime_error when it is not one.
  static RunDirectory open_existing(const std::filesystem::path& dir);

  const std::filesystem::path& path() const { return dir_; }
  /// The directory's name, which is the run id.
  std::string run_id() const { return dir_.filename().string(); }

  std::filesystem::path results_csv() const { return dir_ / "results.csv"; }
  std::filesystem::path repetitions_csv() const { return dir_ / "repetitions.csv"; }
  std::filesystem::path metrics_csv() const { return dir_ / "metrics.csv"; }
  std::filesystem::path machine_json() const { return dir_ / "machine.json"; }
  std::filesystem::path benchmark_json() const { return dir_ / "benchmark.json"; }
  std::filesystem::path plan_args() const { return dir_ / "plan.args"; }
  /// Google Benchmark's JSON of cell `index` of the plan, and the cell's stderr.
  std::filesystem::path cell_json(std::size_t index) const;
  std::filesystem::path cell_log(std::size_t index) const;

  void write_plan_args(const std::vector<std::string>& args) const;
  std::vector<std::string> read_plan_args() const;

 private:
  explicit RunDirectory(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

/// Writes `content` to `path` through a temporary file and a rename, so readers never see half a file.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

/// UTC ISO-8601, e.g. 2026-11-25T13:40:02Z.
std::string utc_timestamp();

}  // namespace concbench
