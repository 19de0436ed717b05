#pragma once
/// `gil`: std::threads that must hold one global lock to run, scheduled exactly as CPython 3.2+'s GIL
/// (harness/models/gil/gil_lock.hpp; docs/gil.md).

#include "harness/core/param_spec.hpp"
#include "harness/models/gil/gil_lock.hpp"
#include "harness/models/gil/global_lock_model.hpp"

namespace concbench {

class GilModel : public gil::GlobalLockModel<gil::GilLock> {
 public:
  static constexpr ModelInfo info = info_of("gil", "std::threads under CPython 3.2+'s global interpreter lock");
  using GlobalLockModel::GlobalLockModel;
  static std::vector<ParamSpec> params() {
    return one_param("gil_interval_us", "switch interval, as sys.setswitchinterval (--gil-interval sets it in ms)",
                     "us", "5000", 10'000'000);
  }
  static constexpr ModelHooks hooks = hooks_with(&params);
};

}  // namespace concbench
