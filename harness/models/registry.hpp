#pragma once
/// Every execution model, in display order. Adding a model: its header/source pair and one line here.

#include <optional>
#include <string_view>
#include <vector>

#include "models/model.hpp"
#include "models/sequential.hpp"
#include "models/thread.hpp"

namespace concbench {

template <class... Models>
struct ModelList {};

/// Models that run the generic (stackful) workload bodies.
using StackfulModels = ModelList<SequentialModel, ThreadModel>;
/// Models whose tasks are C++20 coroutines: workloads bind them with `co_await` bodies.
using CoroutineModels = ModelList<>;

/// Descriptions of every model, stackful then coroutine, in list order (sequential first: every speedup's base).
const std::vector<ModelInfo>& all_models();
const ModelInfo* find_model(std::string_view id);

/// Calls `make(M(cores))` for the stackful model whose id is `id` and returns its result;
/// returns a value-initialised result when `id` is not a stackful model.
bool is_stackful_model(std::string_view id);

template <class Make>
auto with_stackful_model(std::string_view id, int cores, Make&& make) {
  using Result = decltype(make(SequentialModel(cores)));
  Result result{};
  [&]<class... Models>(ModelList<Models...>) {
    (void)((Models::info.id == id ? (result = make(Models(cores)), true) : false) || ...);
  }(StackfulModels{});
  return result;
}

}  // namespace concbench
