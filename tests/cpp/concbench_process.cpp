#include "tests/cpp/concbench_process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

extern char** environ;

namespace concbench::testing {
namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// `NAME` of a `NAME=value` environment entry.
std::string env_name(const std::string& entry) { return entry.substr(0, entry.find('=')); }

}  // namespace

std::string Finished::last_out_line() const {
  const auto lines = lines_of(out);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (!it->empty()) return *it;
  }
  return {};
}

std::vector<std::string> Finished::err_lines() const { return lines_of(err); }

ConcbenchProcess::ConcbenchProcess(const std::vector<std::string>& args, const fs::path& logs,
                                   const std::vector<std::string>& env) {
  static int serial = 0;  // several runs per test get their own log files
  ++serial;
  out_path_ = logs / ("stdout-" + std::to_string(serial) + ".txt");
  err_path_ = logs / ("stderr-" + std::to_string(serial) + ".txt");
  std::vector<std::string> argv_strings{CONCBENCH_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string current(*entry);
    const auto replaced = [&](const std::string& e) { return env_name(e) == env_name(current); };
    if (std::none_of(env.begin(), env.end(), replaced)) env_strings.push_back(current);
  }
  env_strings.insert(env_strings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    pid_ = -1;
    ADD_FAILURE() << "cannot start " << CONCBENCH_BINARY << ": " << std::strerror(error);
  }
}

ConcbenchProcess::~ConcbenchProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ConcbenchProcess::signal(int signo) const {
  if (pid_ > 0) kill(pid_, signo);
}

Finished ConcbenchProcess::wait(std::chrono::seconds limit) {
  Finished finished;
  if (pid_ <= 0) return finished;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  for (;;) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "concbench still running after " << limit.count() << " s: killed";
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  finished.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  finished.out = read_text(out_path_);
  finished.err = read_text(err_path_);
  return finished;
}

Finished run_concbench(const std::vector<std::string>& args, const TempDir& logs, const std::vector<std::string>& env) {
  return ConcbenchProcess(args, logs.path(), env).wait();
}

fs::path only_run_dir(const fs::path& out) {
  std::vector<fs::path> dirs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  if (dirs.size() != 1) {
    ADD_FAILURE() << out << " holds " << dirs.size() << " run directories, expected 1";
    return {};
  }
  return dirs.front();
}

bool no_run_dir(const fs::path& out) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    if (entry.is_directory()) return false;
  }
  return true;
}

csv::Table results(const fs::path& run_dir) { return csv::read_file(run_dir / "results.csv"); }
csv::Table repetitions(const fs::path& run_dir) { return csv::read_file(run_dir / "repetitions.csv"); }

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

}  // namespace concbench::testing
