// Compiled by ctest, never linked (tests/cpp/CMakeLists.txt): a model's hooks are named by designated fields
// of ModelHooks, so a misspelt hook is a compile error, not a feature silently left off. Without
// CONCBENCH_MISSPELT_HOOK it compiles (the control: the check fails for the misspelling, not for anything else).
#include "harness/models/model_hooks.hpp"

namespace {

struct InterpretedModel {
  static void checkpoint() {}
  static double tick_ns() { return 1.0; }
#if defined(CONCBENCH_MISSPELT_HOOK)
  static constexpr concbench::ModelHooks hooks{.checkpont = &checkpoint, .tick_ns = &tick_ns};
#else
  static constexpr concbench::ModelHooks hooks{.checkpoint = &checkpoint, .tick_ns = &tick_ns};
#endif
};

static_assert(concbench::DeclaresModelHooks<InterpretedModel>);

}  // namespace
