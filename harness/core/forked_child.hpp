#pragma once
/// A child process joined to its parent by two pipes — the convoy's echo process and an external model's peer:
/// the one place that makes the pipes, forks, and cleans up when either fails.

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace concbench {

/// The parent's side: the child's pid, the pipe the parent writes to (the child's stdin end is the other
/// end), and the one it reads from.
struct ForkedChild {
  pid_t pid = -1;
  int to_child = -1;
  int from_child = -1;
};

/// Makes the two pipes (close-on-exec), forks, and in the child calls `child(read end, write end)`, which
/// must not return (it execs or _exits) and may call only async-signal-safe functions. Before that the child
/// is tied to its parent (killed when the parent dies, e.g. a cell killed at its timeout; gone at once if the
/// parent already is) and gets the default SIGINT and SIGTERM actions (the runner's interrupt handling is the
/// parent's, not the child's). In the parent closes the child's ends. Throws std::runtime_error naming the
/// call that failed, with nothing left open.
template <class Child>
ForkedChild fork_with_pipes(Child&& child) {
  const auto failed = [](const char* call, int error) {
    return std::runtime_error(std::string(call) + ": " + std::strerror(error));
  };
  int to_child[2];
  int from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) throw failed("pipe", errno);
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    const int error = errno;
    close(to_child[0]);
    close(to_child[1]);
    throw failed("pipe", error);
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigaction(SIGINT, &default_action, nullptr);
    sigaction(SIGTERM, &default_action, nullptr);
    child(to_child[0], from_child[1]);  // does not return
  }
  const int error = errno;
  close(to_child[0]);
  close(from_child[1]);
  if (pid < 0) {
    close(to_child[1]);
    close(from_child[0]);
    throw failed("fork", error);
  }
  return {pid, to_child[1], from_child[0]};
}

}  // namespace concbench
