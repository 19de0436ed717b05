#pragma once
// Runs the real `concbench` binary (CONCBENCH_BINARY) as a subprocess, its stdout and stderr into files.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/report/csv.hpp"
#include "tests/cpp/temp_dir.hpp"

namespace concbench::testing {

struct Finished {
  int exit_code = -1;  // -1 when it did not exit normally (killed by a signal)
  std::string out;
  std::string err;
  /// stdout's last non-empty line: the run directory, for a run.
  std::string last_out_line() const;
  /// stderr's lines.
  std::vector<std::string> err_lines() const;
};

/// A started `concbench ARGS...`. Killed (SIGKILL) on destruction if still running.
class ConcbenchProcess {
 public:
  /// `logs`: where stdout and stderr go (a test's TempDir; not the --out directory under test).
  /// `env`: `NAME=value` entries that replace or add to this process's environment.
  ConcbenchProcess(const std::vector<std::string>& args, const std::filesystem::path& logs,
                   const std::vector<std::string>& env = {});
  ~ConcbenchProcess();
  ConcbenchProcess(const ConcbenchProcess&) = delete;
  ConcbenchProcess& operator=(const ConcbenchProcess&) = delete;

  void signal(int signo) const;
  /// Waits for it to end; past `limit` it is killed and the test fails (a hung runner must not hang ctest).
  Finished wait(std::chrono::seconds limit = std::chrono::seconds(30));

 private:
  pid_t pid_ = -1;
  std::filesystem::path out_path_, err_path_;
};

/// Runs `concbench ARGS...` to its end.
Finished run_concbench(const std::vector<std::string>& args, const TempDir& logs,
                       const std::vector<std::string>& env = {});

/// The only run directory under `out` (fails the test, returning an empty path, unless there is exactly one).
std::filesystem::path only_run_dir(const std::filesystem::path& out);
/// Whether `out` holds no run directory (absent or without subdirectories).
bool no_run_dir(const std::filesystem::path& out);

/// results.csv / repetitions.csv of a run directory.
csv::Table results(const std::filesystem::path& run_dir);
csv::Table repetitions(const std::filesystem::path& run_dir);

/// Logical CPUs this process may use (the most `--cores` can be).
int usable_cpus();

}  // namespace concbench::testing
