#pragma once
/// The optional parts of an execution model, each with its default (docs/models.md, "Hooks").
///
/// Every model — stackful, coroutine, and the `bare` pseudo-model — declares `static constexpr ModelHooks
/// hooks{...}`, naming by designated fields the hooks it provides (`hooks{}` for none): a field left out keeps
/// its default, a misspelt one does not compile (tests/cpp/model_hooks_test.cpp), and a model without `hooks`
/// satisfies neither concept. The harness reads hooks only through this struct, never by probing a model for a
/// member of some name (harness/models/interpreted.hpp, model_registry.cpp).
///
/// The function hooks are static, as the primitives `block_for` and `yield` are: a task calls them without a
/// model at hand. A null hook is the default behaviour, said at each field.

#include <chrono>
#include <concepts>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "harness/core/param_spec.hpp"

namespace concbench {

struct ModelHooks {
  /// The parameters the model adds to its cells' keys (e.g. the gil's `gil_interval_us`); the model reads their
  /// values from its ModelContext. Null: none.
  std::vector<ParamSpec> (*params)() = nullptr;

  /// Tasks keep their thread until they end (tbb): tasks that wait on each other all make progress only with
  /// as many threads as tasks (interpreted.hpp: can_interleave). False: a waiting task frees its thread.
  bool tasks_run_to_completion = false;

  /// The model stands for an interpreter: a workload body calls it after each tick (one bytecode's worth) of
  /// work (interpreted.hpp: tick<M>), where CPython checks its eval breaker. A model that sets it needs the
  /// tick's length on this machine, so a run calibrates it first and hands it to the model through
  /// ModelContext::calibration. Null: ticks are free (tick<M>() compiles to nothing) and nothing is calibrated.
  void (*checkpoint)() = nullptr;
  /// The length of one tick the model alive in this process was built with (its context's calibration), for a
  /// workload that sizes its work in ticks. Set together with `checkpoint`.
  double (*tick_ns)() = nullptr;

  /// Around a blocking system call made by a task (interpreted.hpp: blocking_call<M>): release what the other
  /// tasks need to run, then take it back (the global lock, as CPython's Py_BEGIN/END_ALLOW_THREADS). Both or
  /// neither. Null: the call is just made.
  void (*before_blocking_call)() = nullptr;
  void (*after_blocking_call)() = nullptr;

  /// How long the calling task's thread has held the model's global lock so far, the hold in progress included
  /// (interpreted.hpp: global_lock_held<M>). Null: the model has no global lock.
  std::chrono::nanoseconds (*held_by_this_thread)() = nullptr;

  /// Figures the model alive in this process keeps for the whole process (e.g. the gil's switches), merged into
  /// the row's metrics after the cell ran. Null: none.
  std::map<std::string, std::string> (*process_metrics)() = nullptr;

  /// The hooks that come in pairs are set together (checked by both concepts).
  constexpr bool consistent() const {
    return (checkpoint == nullptr) == (tick_ns == nullptr) &&
           (before_blocking_call == nullptr) == (after_blocking_call == nullptr);
  }
};

/// A model's hooks: `M::hooks`, declared, of type ModelHooks and consistent.
template <class M>
concept DeclaresModelHooks = requires {
  requires std::same_as<std::remove_cvref_t<decltype(M::hooks)>, ModelHooks>;
  requires M::hooks.consistent();
};

}  // namespace concbench
