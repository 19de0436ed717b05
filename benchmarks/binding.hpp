#pragma once
/// How a workload's body becomes a cell (its `Bindings`, benchmarks/workload.hpp): one binding per kind of
/// model, over that kind's list in harness/models/model_registry.hpp, and the one place a cell builds its model.
///
/// A body is a class: `Body<M>` over a model M (constructed from `(M model, const CellKey&)`) for the stackful
/// and coroutine kinds, a plain `Body` (constructed from `const CellKey&`) for `bare`. It may refuse a cell
/// it cannot run sensibly: `static std::string unsupported(const CellKey&)` returning the reason (empty:
/// supported). The row then says `status=unsupported`, never a fake figure. Each body's source defines the
/// workload's pointer to its binding, e.g. `const CellMaker counter::Bodies::stackful =
/// &make_stackful_cell<StackfulCounter>;`.

#include <memory>
#include <string>
#include <utility>

#include "benchmarks/workload.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench {

/// The model of a cell, built from its context: every binding builds its model here.
template <class M>
M model_for(const ModelContext& context) {
  return M(context);
}

/// Calls `bind.template operator()<M>()` for the model M of `Models` named by the key, which returns the cell
/// (building the model with model_for); unsupported when no model of the list has that id.
template <class Models, class Bind>
CellSetup bind_model(const CellKey& key, Bind&& bind) {
  CellSetup setup;
  if (!visit_model(Models{}, key.model, [&]<class M>() { setup = bind.template operator()<M>(); })) {
    setup.unsupported = "no binding of this workload for model " + key.model;
  }
  return setup;
}

/// The body's reason to refuse the cell (its static `unsupported`), or empty.
template <class Cell>
std::string unsupported_by(const CellKey& key) {
  if constexpr (requires { Cell::unsupported(key); }) {
    return Cell::unsupported(key);
  } else {
    return {};
  }
}

/// The cell of `Body<M>` for the model M of `Models` that the key names.
template <class Models, template <class> class Body>
CellSetup make_model_cell(const CellKey& key, const ModelContext& context) {
  return bind_model<Models>(key, [&]<class M>() -> CellSetup {
    using Cell = Body<M>;
    if (auto reason = unsupported_by<Cell>(key); !reason.empty()) return {nullptr, std::move(reason)};
    return {std::make_unique<Cell>(model_for<M>(context), key), {}};
  });
}

/// A workload's stackful body (models/model.hpp: StackfulModel), bound to every model of `StackfulModels`.
template <template <class> class Body>
CellSetup make_stackful_cell(const CellKey& key, const ModelContext& context) {
  return make_model_cell<StackfulModels, Body>(key, context);
}

/// A workload's coroutine body (models/coroutine_model.hpp: CoroutineModel), bound to every model of
/// `CoroutineModels`.
template <template <class> class Body>
CellSetup make_coroutine_cell(const CellKey& key, const ModelContext& context) {
  return make_model_cell<CoroutineModels, Body>(key, context);
}

/// A workload's floor (models/bare.hpp): its hand-written loops, no model (so no context).
template <class Body>
CellSetup make_bare_cell(const CellKey& key, const ModelContext& /*context*/) {
  if (auto reason = unsupported_by<Body>(key); !reason.empty()) return {nullptr, std::move(reason)};
  return {std::make_unique<Body>(key), {}};
}

}  // namespace concbench
