#include "harness/models/gil.hpp"

namespace concbench {

static_assert(CompleteStackfulModel<GilModel>);

}  // namespace concbench
