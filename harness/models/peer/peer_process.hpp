#pragma once
/// A peer program as a child process of the cell: its stdin and stdout are pipes to this process, one line
/// per message (docs/models.md, "The process"). Started inside the cell's child process, it shares the
/// cell's CPU affinity and process group (the runner's watchdog kills both) and dies with it (PDEATHSIG).

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace concbench {

class PeerProcess {
 public:
  /// Starts `argv` (argv[0] a path). Throws std::runtime_error when it cannot be started.
  explicit PeerProcess(const std::vector<std::string>& argv);
  /// Closes the peer's stdin (its cue to exit), waits a moment for it, then kills it.
  ~PeerProcess();
  PeerProcess(PeerProcess&& other) noexcept;
  PeerProcess& operator=(PeerProcess&&) = delete;
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  /// Writes `line` and a newline; false when the peer no longer reads.
  bool write_line(const std::string& line);
  /// The next line (without its newline); std::nullopt at end of file. Throws std::runtime_error for a line
  /// longer than kMaxLine.
  std::optional<std::string> read_line();
  /// After end of file: how the peer ended ("exited with status 1", "killed by signal 11"), waiting for it.
  std::string how_it_ended();

  static constexpr std::size_t kMaxLine = 1 << 20;

 private:
  pid_t pid_ = -1;
  int to_peer_ = -1;
  int from_peer_ = -1;
  std::string buffer_;  // read but not yet returned
  std::optional<int> wait_status_;
};

}  // namespace concbench
