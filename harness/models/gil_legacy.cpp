#include "harness/models/gil_legacy.hpp"

namespace concbench {

static_assert(CompleteStackfulModel<GilLegacyModel>);

}  // namespace concbench
