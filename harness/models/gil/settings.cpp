#include "harness/models/gil/settings.hpp"

namespace concbench::gil {
namespace {
Settings current;
}  // namespace

void configure(const Settings& settings) { current = settings; }
const Settings& settings() { return current; }

Settings settings_from(const Params& params, double tick_ns) {
  Settings settings;
  if (params.has("gil_interval_us")) settings.interval = std::chrono::microseconds(params.get_int("gil_interval_us"));
  if (params.has("gil_check_interval"))
    settings.check_interval = static_cast<int>(params.get_int("gil_check_interval"));
  if (tick_ns > 0) settings.tick_ns = tick_ns;
  return settings;
}

}  // namespace concbench::gil
