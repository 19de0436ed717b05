#include "harness/models/peer/peer_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "harness/core/forked_child.hpp"
#include "harness/core/write_all.hpp"

namespace concbench {
namespace {

/// In the forked child (tied to the cell's process by fork_with_pipes), before exec: async-signal-safe calls
/// only (the cell's process may have threads).
[[noreturn]] void exec_peer(char* const* argv, int in, int out) {
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigaction(SIGPIPE, &default_action, nullptr);  // the cell's process ignores it (below); the peer must not
  if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0) _exit(127);
  close_range(3, UINT_MAX, 0);  // nothing of the cell's: above all not its result pipe (fd 3)
  execv(argv[0], argv);
  _exit(127);
}

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

PeerProcess::PeerProcess(const std::vector<std::string>& argv) {
  // A peer that has gone makes a write fail with EPIPE (reported with the peer's end) instead of killing the
  // cell's process without a row: this process is the cell's alone, and the peer gets SIGPIPE back (exec_peer).
  signal(SIGPIPE, SIG_IGN);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const auto peer = fork_with_pipes([&](int requests, int answers) { exec_peer(args.data(), requests, answers); });
  pid_ = peer.pid;
  to_peer_ = peer.to_child;
  from_peer_ = peer.from_child;
}

PeerProcess::PeerProcess(PeerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      to_peer_(std::exchange(other.to_peer_, -1)),
      from_peer_(std::exchange(other.from_peer_, -1)),
      buffer_(std::move(other.buffer_)),
      wait_status_(other.wait_status_) {}

PeerProcess::~PeerProcess() {
  close_fd(to_peer_);  // end of file: a peer's cue to exit
  close_fd(from_peer_);
  if (pid_ <= 0 || wait_status_) return;
  // A well-behaved peer exits at once; one that does not (a test's silent peer, threads stuck in a deadlock)
  // is killed after a short grace period rather than keep the cell's process waiting.
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(1);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline) {
      kill(pid_, SIGKILL);
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

bool PeerProcess::write_line(const std::string& line) { return write_all(to_peer_, line + "\n"); }

std::optional<std::string> PeerProcess::read_line() {
  for (;;) {
    if (const auto newline = buffer_.find('\n'); newline != std::string::npos) {
      auto line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (buffer_.size() > kMaxLine) throw std::runtime_error(fmt::format("a line longer than {} bytes", kMaxLine));
    char chunk[4096];
    const auto n = ::read(from_peer_, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string PeerProcess::how_it_ended() {
  if (!wait_status_) {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) return "ended (its status is unknown)";
    }
    wait_status_ = status;
  }
  const int status = *wait_status_;
  if (WIFSIGNALED(status))
    return fmt::format("was killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  if (WEXITSTATUS(status) == 127) return "exited with status 127 (the program could not be started)";
  return fmt::format("exited with status {}", WEXITSTATUS(status));
}

}  // namespace concbench
