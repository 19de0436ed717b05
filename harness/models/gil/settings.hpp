#pragma once
/// Process-wide settings of the global-lock models, set by the cell's process before the model is built
/// (one cell per process, one interpreter lock per process — as in CPython).

#include <chrono>

#include "core/params.hpp"

namespace concbench::gil {

struct Settings {
  std::chrono::microseconds interval{5000};  // sys.setswitchinterval (new GIL)
  int check_interval = 100;                  // sys.setcheckinterval (legacy GIL), in ticks
  double tick_ns = 0;                        // one bytecode of the real interpreter; 0: not calibrated
};

void configure(const Settings& settings);
/// Settings from a cell's parameters (`gil_interval_us`, `gil_check_interval`, where present) and the
/// run's tick calibration.
Settings settings_from(const Params& params, double tick_ns);
const Settings& settings();

}  // namespace concbench::gil
