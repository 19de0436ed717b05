#include "app/runner/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "app/runner/cell_child.hpp"

namespace concbench {
namespace {

/// In the forked child, before exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const std::vector<std::string>& argv, int result_fd, int log_fd, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a killed runner
  if (getppid() != parent) _exit(127);
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  if (result_fd == kResultFd) {
    fcntl(kResultFd, F_SETFD, 0);  // keep it across exec
  } else {
    dup2(result_fd, kResultFd);
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

/// Reads what is available; returns false at end of file.
bool drain(int fd, std::string& output) {
  char buffer[65536];
  for (;;) {
    const auto n = read(fd, buffer, sizeof(buffer));
    if (n > 0) {
      output.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

}  // namespace

ChildOutcome run_child(const std::vector<std::string>& argv, const std::filesystem::path& log_path,
                       std::chrono::milliseconds timeout, int interrupt_fd) {
  ChildOutcome outcome;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    outcome.end = ChildOutcome::End::failed_to_start;
    outcome.error = std::string("pipe: ") + std::strerror(errno);
    return outcome;
  }
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const pid_t parent = getpid();
  const pid_t pid = log_fd < 0 ? -1 : fork();
  if (pid == 0) exec_child(argv, pipe_fds[1], log_fd, parent);
  if (pid > 0) setpgid(pid, pid);  // as the child does: kill(-pid) below must not race its setpgid
  close(pipe_fds[1]);
  if (log_fd >= 0) close(log_fd);
  if (pid < 0) {
    close(pipe_fds[0]);
    outcome.end = ChildOutcome::End::failed_to_start;
    outcome.error = std::string(log_fd < 0 ? "open log: " : "fork: ") + std::strerror(errno);
    return outcome;
  }
  // glibc 2.36 declares pidfd_open without C linkage for C++: call the system call itself.
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool pipe_open = true;
  bool exited = false;
  while (!exited) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      outcome.end = ChildOutcome::End::timed_out;
      break;
    }
    pollfd fds[3] = {{pidfd, POLLIN, 0}, {pipe_open ? pipe_fds[0] : -1, POLLIN, 0}, {interrupt_fd, POLLIN, 0}};
    const int ready = poll(fds, 3, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      outcome.end = ChildOutcome::End::failed_to_start;
      outcome.error = std::string("poll: ") + std::strerror(errno);
      break;
    }
    if (fds[1].revents != 0) pipe_open = drain(pipe_fds[0], outcome.output);
    if (fds[2].revents != 0) {
      outcome.end = ChildOutcome::End::interrupted;
      break;
    }
    // Without a pidfd (kernels before 5.3) the end of the result pipe stands for the child's exit.
    exited = pidfd >= 0 ? fds[0].revents != 0 : !pipe_open;
  }
  if (!exited) kill(-pid, SIGKILL);  // the whole group: nothing of the cell keeps running

  int status = 0;
  while (wait4(pid, &status, 0, &outcome.usage) < 0 && errno == EINTR) {
  }
  if (pipe_open) drain(pipe_fds[0], outcome.output);  // the child has ended: what is left is all there is
  close(pipe_fds[0]);
  if (pidfd >= 0) close(pidfd);
  if (exited) {
    outcome.end = WIFSIGNALED(status) ? ChildOutcome::End::signaled : ChildOutcome::End::exited;
    outcome.code = WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status);
  }
  return outcome;
}

}  // namespace concbench
