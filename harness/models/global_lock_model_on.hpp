#pragma once
/// `GlobalLockModelOn<Lock, Info, Params>`: a global-lock model (`gil`, `gil-legacy`), gil::GlobalLockModel<Lock>
/// described by `Info`, whose cells carry the parameters `Params()` (its hooks: hooks_with). A model's header
/// holds its descriptor, its parameter and the alias, as coroutine_model_on.hpp's models do.

#include <vector>

#include "harness/core/param_spec.hpp"
#include "harness/models/gil/global_lock_model.hpp"

namespace concbench {

template <class Lock, const ModelInfo& Info, std::vector<ParamSpec> (*Params)()>
class GlobalLockModelOn : public gil::GlobalLockModel<Lock> {
 public:
  static constexpr const ModelInfo& info = Info;
  using gil::GlobalLockModel<Lock>::GlobalLockModel;
  static std::vector<ParamSpec> params() { return Params(); }
  static constexpr ModelHooks hooks = gil::GlobalLockModel<Lock>::hooks_with(Params);
};

}  // namespace concbench
