#include "harness/models/gil/settings.hpp"

namespace concbench::gil {

Settings Settings::from(const ModelContext& context) {
  Settings settings;
  const auto& params = context.params;
  if (params.has("gil_interval_us")) settings.interval = std::chrono::microseconds(params.get_int("gil_interval_us"));
  if (params.has("gil_check_interval"))
    settings.check_interval = static_cast<int>(params.get_int("gil_check_interval"));
  if (context.calibration.tick_ns > 0) settings.tick_ns = context.calibration.tick_ns;
  return settings;
}

}  // namespace concbench::gil
