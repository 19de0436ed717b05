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
/// model at hand. A hook left unset is the default behaviour, said at each field.

#include <chrono>
#include <concepts>
#include <cstddef>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "harness/core/param_spec.hpp"

namespace concbench {

/// One function hook: the static function a model gives (`.checkpoint = &checkpoint`), or none. `set` says
/// which as a constant, without comparing the function's address with null: GCC does not fold that in a
/// constant expression under UBSan (-fno-delete-null-pointer-checks), and `if constexpr` needs it folded. A
/// call through a hook of a `static constexpr` ModelHooks compiles to a direct call, inlined at -O2.
template <class Signature>
struct Hook;

template <class R, class... Args>
struct Hook<R(Args...)> {
  constexpr Hook() = default;
  // Implicit, so that a designated field takes the function itself.
  constexpr Hook(R (*given)(Args...)) : function(given), set(true) {}  // NOLINT(google-explicit-constructor)
  Hook(std::nullptr_t) = delete;                                       // leave the field out instead

  constexpr R operator()(Args... args) const { return function(std::forward<Args>(args)...); }

  R (*function)(Args...) = nullptr;
  bool set = false;
};

struct ModelHooks {
  /// The parameters the model adds to its cells' keys (e.g. the gil's `gil_interval_us`); the model reads their
  /// values from its ModelContext. Unset: none.
  Hook<std::vector<ParamSpec>()> params = {};

  /// Tasks keep their thread until they end (tbb): tasks that wait on each other all make progress only with
  /// as many threads as tasks (interpreted.hpp: can_interleave). False: a waiting task frees its thread.
  bool tasks_run_to_completion = false;

  /// The model stands for an interpreter: a workload body calls it after each tick (one bytecode's worth) of
  /// work (interpreted.hpp: tick<M>), where CPython checks its eval breaker. A model that sets it needs the
  /// tick's length on this machine, so a run calibrates it first and hands it to the model through
  /// ModelContext::calibration. Unset: ticks are free (tick<M>() compiles to nothing) and nothing is calibrated.
  Hook<void()> checkpoint = {};
  /// The length of one tick the model alive in this process was built with (its context's calibration), for a
  /// workload that sizes its work in ticks. Set together with `checkpoint`.
  Hook<double()> tick_ns = {};

  /// Around a blocking system call made by a task (interpreted.hpp: blocking_call<M>): release what the other
  /// tasks need to run, then take it back (the global lock, as CPython's Py_BEGIN/END_ALLOW_THREADS). Both or
  /// neither. Unset: the call is just made.
  Hook<void()> before_blocking_call = {};
  Hook<void()> after_blocking_call = {};

  /// How long the calling task's thread has held the model's global lock so far, the hold in progress included
  /// (interpreted.hpp: global_lock_held<M>). Unset: the model has no global lock.
  Hook<std::chrono::nanoseconds()> held_by_this_thread = {};

  /// Figures the model alive in this process keeps for the whole process (e.g. the gil's switches), merged into
  /// the row's metrics after the cell ran. Unset: none.
  Hook<std::map<std::string, std::string>()> process_metrics = {};

  /// The hooks that come in pairs are set together (checked by both concepts).
  constexpr bool consistent() const {
    return checkpoint.set == tick_ns.set && before_blocking_call.set == after_blocking_call.set;
  }
};

/// A model's hooks: `M::hooks`, declared, of type ModelHooks and consistent.
template <class M>
concept DeclaresModelHooks = requires {
  requires std::same_as<std::remove_cvref_t<decltype(M::hooks)>, ModelHooks>;
  requires M::hooks.consistent();
};

}  // namespace concbench
