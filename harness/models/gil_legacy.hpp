#pragma once
/// `gil-legacy`: std::threads under Python 2's global lock, a semaphore released and re-taken every
/// 100 of Python 2's ticks (about 300 of ours) with no hand-off (harness/models/gil/legacy_lock.hpp; docs/gil.md).

#include "harness/core/param_spec.hpp"
#include "harness/models/gil/global_lock_model.hpp"
#include "harness/models/gil/legacy_lock.hpp"

namespace concbench {

class GilLegacyModel : public gil::GlobalLockModel<gil::LegacyLock> {
 public:
  static constexpr ModelInfo info = info_of("gil-legacy", "std::threads under Python 2's global interpreter lock");
  using GlobalLockModel::GlobalLockModel;
  static std::vector<ParamSpec> params() {
    return one_param("gil_check_interval",
                     "Python 2 ticks between releases of the lock, as sys.setcheckinterval (each worth "
                     "gil::kTicksPerLegacyTick of concbench's ticks)",
                     "ticks", "100", 1'000'000);
  }
  static constexpr ModelHooks hooks = hooks_with(&params);
};

}  // namespace concbench
