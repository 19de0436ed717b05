#pragma once
/// `bare`: not an execution model but the reference beside them (DESIGN.md): a workload's primitive in a
/// minimal hand-written loop, in the same binary, so a reader sees what the harness and each model add.
/// Only workloads that bind it (WorkloadSpec::bare: counter, pingpong) get `bare` cells; its loops live
/// with those workloads (benchmarks/counter/bare.cpp, benchmarks/pingpong/bare.cpp).

#include <string>
#include <string_view>
#include <vector>

#include "core/param_spec.hpp"
#include "core/params.hpp"
#include "models/model.hpp"

namespace concbench {

/// The hand-off primitives the models use in `pingpong`; a model's row names its own in the metric
/// `primitive`, and the bare row with the same `primitive` parameter is its reference.
namespace primitive {
inline constexpr std::string_view kSymmetricTransfer = "symmetric-transfer";  // C++20 coroutine to coroutine
inline constexpr std::string_view kFiberYield = "fiber-yield";                // Boost.Fiber yield between fibers
inline constexpr std::string_view kAtomicWait = "atomic-wait";  // std::atomic wait/notify between two threads
}  // namespace primitive

struct BareModel {
  /// `workers` in its rows says what each loop really used: one thread, or one per task for the thread loops.
  static constexpr ModelInfo info{"bare", "reference: the primitive in a minimal hand-written loop", false, true,
                                  false, true};

  /// pingpong's `switch` variant: which primitive the loop runs (every one by default).
  static std::vector<ParamSpec> params() {
    std::vector<std::string> all{std::string(primitive::kSymmetricTransfer), std::string(primitive::kFiberYield),
                                 std::string(primitive::kAtomicWait)};
    return {{"primitive", "the hand-off primitive of the bare loop (pingpong)", "", all, {}, 0, 0, {"switch"}, all}};
  }

  /// The loops of one thread (a coroutine or fiber hand-off) gain nothing from more cores: one cell, at 1 core.
  static bool one_thread(const Params& params) {
    const auto primitive = params.has("primitive") ? params.get("primitive") : std::string();
    return primitive == primitive::kSymmetricTransfer || primitive == primitive::kFiberYield;
  }
};

}  // namespace concbench
