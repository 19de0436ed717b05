#include "app/runner/interrupt.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

namespace concbench {
namespace {

int self_pipe[2] = {-1, -1};
struct sigaction old_int {};
struct sigaction old_term {};

extern "C" void on_signal(int) {
  const char byte = 1;
  [[maybe_unused]] const auto n = write(self_pipe[1], &byte, 1);  // non-blocking: a full pipe is still "set"
}

}  // namespace

InterruptWatch::InterruptWatch() {
  pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &old_int);
  sigaction(SIGTERM, &action, &old_term);
}

InterruptWatch::~InterruptWatch() {
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  close(self_pipe[0]);
  close(self_pipe[1]);
  self_pipe[0] = self_pipe[1] = -1;
}

int InterruptWatch::fd() const { return self_pipe[0]; }

bool InterruptWatch::requested() const {
  pollfd pfd{self_pipe[0], POLLIN, 0};
  return poll(&pfd, 1, 0) == 1;
}

}  // namespace concbench
