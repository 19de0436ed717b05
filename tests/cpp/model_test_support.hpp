#pragma once
// Shared by the model_tests binary: the stackful models under test and the one N the binary uses.
#include <cstdlib>
#include <string>

#include "harness/models/fiber.hpp"
#include "harness/models/fiber_ws.hpp"
#include "harness/models/sequential.hpp"
#include "harness/models/tbb.hpp"
#include "harness/models/thread.hpp"

namespace concbench::testing {

/// `cores` for every model in this process (default 4; CONCBENCH_TEST_CORES overrides it). fiber-ws can be
/// set up only once per process with one N (Boost 1.74's work_stealing), so the whole binary uses one N;
/// ctest also runs the fiber-ws tests in a process of their own with N = 1 (tests/cpp/CMakeLists.txt).
/// 4 lets the tbb channel tests run 2 senders + 2 receivers without exceeding the arena (docs/models.md).
inline int test_cores() {
  static const int cores = [] {
    const char* env = std::getenv("CONCBENCH_TEST_CORES");
    return env != nullptr && std::atoi(env) > 0 ? std::atoi(env) : 4;
  }();
  return cores;
}

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer does not follow Boost.Context's stack switches (fcontext): it reports races between
// unrelated fibers and can crash. The fiber models are tested in the release and asan builds (docs/traps.md).
#define CONCBENCH_TEST_FIBERS 0
#else
#define CONCBENCH_TEST_FIBERS 1
#endif

/// Names typed tests after the model id (`fiber-ws` -> `fiber_ws`), so a filter can pick a model.
struct ModelName {
  template <class M>
  static std::string GetName(int /*index*/) {
    std::string name(M::info.id);
    for (auto& c : name) {
      if (c == '-') c = '_';
    }
    return name;
  }
};

}  // namespace concbench::testing
