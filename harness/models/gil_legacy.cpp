#include "harness/models/gil_legacy.hpp"

namespace concbench {

static_assert(StackfulModel<GilLegacyModel>);
static_assert(StackfulModelChannels<GilLegacyModel>);

}  // namespace concbench
