#pragma once
/// `gil`: std::threads that must hold one global lock to run, scheduled exactly as CPython 3.2+'s GIL
/// (harness/models/gil/gil_lock.hpp; docs/gil.md).

#include <vector>

#include "harness/core/param_spec.hpp"
#include "harness/models/gil/gil_lock.hpp"
#include "harness/models/gil/global_lock_model.hpp"
#include "harness/models/global_lock_model_on.hpp"

namespace concbench {

/// `gil`'s one cell parameter (gil/settings.hpp reads it).
inline std::vector<ParamSpec> gil_params() {
  return gil::GlobalLockModel<gil::GilLock>::one_param(
      "gil_interval_us", "switch interval, as sys.setswitchinterval (--gil-interval sets it in ms)", "us", "5000",
      10'000'000);
}
inline constexpr ModelInfo kGilInfo =
    gil::GlobalLockModel<gil::GilLock>::info_of("gil", "std::threads under CPython 3.2+'s global interpreter lock");
using GilModel = GlobalLockModelOn<gil::GilLock, kGilInfo, &gil_params>;

}  // namespace concbench
