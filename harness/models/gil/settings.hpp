#pragma once
/// The settings of a global-lock model (`gil`, `gil-legacy`), read from the ModelContext it is built with: the
/// cell's parameters (`gil_interval_us`, `gil_check_interval`) and the run's tick calibration. Each model keeps
/// its own; nothing is set for the process from outside.

#include <chrono>

#include "harness/core/model_context.hpp"

namespace concbench::gil {

/// How many concbench ticks (CPython 3 bytecodes) one tick of Python 2's check interval is worth. Python 2
/// counts only the opcodes that go round the top of its eval loop (Python/ceval.c: those ending in `continue`,
/// not in `goto fast_next_opcode` or a predicted jump): 2 of the 8 bytecodes of an iteration of
/// `while n > 0: n -= 1`, which 2.7 runs in about 0.78 of the time 3.11 does (16.4 vs 21.0 ns an iteration on
/// the development VM, alternating): a Python 2 tick lasts 8 × 0.78 / 2 ≈ 3.1 of our ticks. With 1, the legacy
/// lock released every 100 bytecodes' worth of work instead of every ~300, three times as often as Python 2.7,
/// and two threads on two cores ran 2.1–2.4× slower than sequential where Python 2.7 runs 1.4–1.6× slower.
inline constexpr int kTicksPerLegacyTick = 3;

struct Settings {
  std::chrono::microseconds interval{5000};         // sys.setswitchinterval (new GIL)
  int check_interval = 100;                         // sys.setcheckinterval (legacy GIL), in Python 2's ticks
  double tick_ns = Calibration::kDefaultTickNs;     // one bytecode of the real interpreter (ModelContext)
  int ticks_per_legacy_tick = kTicksPerLegacyTick;  // concbench ticks per tick of Python 2's check interval

  /// From a model's context: `gil_interval_us` and `gil_check_interval` where the cell's parameters have them
  /// (else the defaults above), the tick of its calibration.
  static Settings from(const ModelContext& context);
};

}  // namespace concbench::gil
