#include "harness/models/gil.hpp"

namespace concbench {

static_assert(StackfulModel<GilModel>);
static_assert(StackfulModelChannels<GilModel>);

}  // namespace concbench
