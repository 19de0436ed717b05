#pragma once
/// How long one bytecode of the real interpreter takes on this machine: the work between two checkpoints
/// of the global-lock models (docs/gil.md). Measured once per run, in the parent, before any cell.

#include <string>

namespace concbench {

struct TickCalibration {
  double tick_ns = 0;
  std::string source;  // e.g. "/usr/bin/python3 3.11.2 countdown", or why the default was used
};

/// Used when no Python 3 can be run: 2.0 ns, about what CPython 3.11 takes per bytecode of the countdown
/// loop on the 2.6 GHz AMD EPYC VM concbench was developed on (2.1–2.3 ns measured there).
inline constexpr double kDefaultTickNs = 2.0;

/// Times CPython's `while n > 0: n -= 1` (warmed up, best of 5) and divides by the bytecodes one iteration
/// executes (counted with opcode tracing). Prefers /usr/bin/python3, then `python3` on PATH.
TickCalibration calibrate_tick();

}  // namespace concbench
