#pragma once
/// How long one bytecode of the real interpreter takes on this machine: the work between two checkpoints
/// of the models that run interpreted ticks (ModelHooks::checkpoint; docs/gil.md). Measured once per run, in
/// the parent, before any cell, and handed to each such cell's model in its context (Calibration::tick_ns).

#include <string>

namespace concbench {

struct TickCalibration {
  double tick_ns = 0;
  std::string source;  // e.g. "/usr/bin/python3 3.11.2 countdown", or why the default was used
};

/// Without a runnable Python 3 it returns Calibration::kDefaultTickNs (harness/core/model_context.hpp).
/// Times CPython's `while n > 0: n -= 1` (warmed up, best of 5) and divides by the bytecodes one iteration
/// executes (counted with opcode tracing). Prefers /usr/bin/python3, then `python3` on PATH.
TickCalibration calibrate_tick();

}  // namespace concbench
