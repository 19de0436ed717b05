#pragma once
/// `gil-legacy`: std::threads under Python 2's global lock, a semaphore released and re-taken every
/// 100 of Python 2's ticks (about 300 of ours) with no hand-off (harness/models/gil/legacy_lock.hpp; docs/gil.md).

#include <vector>

#include "harness/core/param_spec.hpp"
#include "harness/models/gil/global_lock_model.hpp"
#include "harness/models/gil/legacy_lock.hpp"
#include "harness/models/global_lock_model_on.hpp"

namespace concbench {

/// `gil-legacy`'s one cell parameter (gil/settings.hpp reads it).
inline std::vector<ParamSpec> gil_legacy_params() {
  return gil::GlobalLockModel<gil::LegacyLock>::one_param("gil_check_interval",
                                                          "Python 2 ticks between releases of the lock, as "
                                                          "sys.setcheckinterval (each worth gil::kTicksPerLegacyTick "
                                                          "of concbench's ticks)",
                                                          "ticks", "100", 1'000'000);
}
inline constexpr ModelInfo kGilLegacyInfo = gil::GlobalLockModel<gil::LegacyLock>::info_of(
    "gil-legacy", "std::threads under Python 2's global interpreter lock");
using GilLegacyModel = GlobalLockModelOn<gil::LegacyLock, kGilLegacyInfo, &gil_legacy_params>;

}  // namespace concbench
