#include "app/runner/tick_calibration.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <sstream>

#include <fmt/format.h>

#include "harness/core/model_context.hpp"

namespace concbench {
namespace {

// Runs in the real interpreter. Opcode tracing (3.7+) counts the bytecodes of one loop iteration on
// whatever version is installed; the timing runs untraced, warmed up, best of five (a fresh interpreter's
// first run is slower).
constexpr const char* kScript = R"PY(
import sys, time
def countdown(n):
    while n > 0:
        n -= 1
opcodes = [0]
def tracer(frame, event, arg):
    frame.f_trace_opcodes = True
    if event == "opcode":
        opcodes[0] += 1
    return tracer
sys.settrace(tracer)
countdown(1000)
sys.settrace(None)
per_iteration = opcodes[0] / 1000.0
n = 2000000
countdown(n)
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    countdown(n)
    best = min(best, time.perf_counter() - start)
print("%.6f %s" % (best / n / per_iteration * 1e9, sys.version.split()[0]))
)PY";

std::string find_python() {
  if (access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
  return "python3";
}

}  // namespace

TickCalibration calibrate_tick() {
  const auto python = find_python();
  // The script goes in as an argument, not through a shell: nothing in it is interpreted twice.
  const auto command = fmt::format("'{}' -c \"$CONCBENCH_TICK_SCRIPT\" 2>/dev/null", python);
  setenv("CONCBENCH_TICK_SCRIPT", kScript, 1);
  FILE* pipe = popen(command.c_str(), "r");
  unsetenv("CONCBENCH_TICK_SCRIPT");
  if (pipe == nullptr) return {Calibration::kDefaultTickNs, "default (could not start " + python + ")"};
  std::array<char, 256> line{};
  const bool read = std::fgets(line.data(), line.size(), pipe) != nullptr;
  const int status = pclose(pipe);
  double tick_ns = 0;
  std::string version;
  std::istringstream fields(read ? line.data() : "");
  if (status != 0 || !(fields >> tick_ns >> version) || !(tick_ns > 0)) {
    return {Calibration::kDefaultTickNs, "default (" + python + " unavailable or failed)"};
  }
  return {tick_ns, fmt::format("{} {} countdown", python, version)};
}

}  // namespace concbench
