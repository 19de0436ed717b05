#pragma once
/// What a workload is to the harness: its parameters, its variants, and the runnable cell it builds.
///
/// Each workload lives in benchmarks/<name>/: a spec (parameters, verification, reference answer) written
/// once, and its bodies, one per kind of model (`Bindings`; benchmarks/binding.hpp builds them). The harness
/// only sees `WorkloadSpec` and `CellRun`.

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/cell_key.hpp"
#include "harness/core/model_context.hpp"
#include "harness/core/param_spec.hpp"
#include "harness/models/model.hpp"

namespace concbench {

/// The outcome of a workload's own check of its result.
struct Verdict {
  bool ok = true;
  std::string reason;  // for a failed verdict: what was wrong
};

/// Figures a cell reports beside its throughput.
struct CellFigures {
  WorkerUse workers;
  std::map<std::string, std::string> metrics;
  std::optional<double> latency_p50_us;
  std::optional<double> latency_p99_us;
  std::optional<double> fairness;
};

/// One cell, ready to run inside the child process. The runner times `run_once` with Google Benchmark,
/// then asks `verify` about every run it made.
class CellRun {
 public:
  virtual ~CellRun() = default;
  virtual std::int64_t items_per_run() const = 0;
  /// The measured work: one complete run of the cell (spawn, work, join).
  virtual void run_once() = 0;
  /// Whether every run so far produced the right answer.
  virtual Verdict verify() const = 0;
  virtual CellFigures figures() const = 0;
  /// The last run's time as the cell measured it itself, in seconds, where the run happens elsewhere (an
  /// external model's peer reports its own: the pipe's cost is not part of the run); std::nullopt: the runner
  /// times `run_once` (Google Benchmark's real time). The same kind of answer after every run.
  virtual std::optional<double> own_run_seconds() const { return std::nullopt; }
};

/// Either a runnable cell or the reason the model cannot run it sensibly (`status=unsupported`).
struct CellSetup {
  std::unique_ptr<CellRun> run;
  std::string unsupported;
};

/// A workload's floor for some of its variants: the primitive each model family uses there, which the `bare`
/// pseudo-model (models/bare.hpp) runs in a minimal hand-written loop beside the models, in the same run.
struct FloorSpec {
  std::vector<std::string> variants;  // the variants it covers; empty: all
  /// Family (ModelInfo::family) -> the primitive of the bare cell its rows are compared with. Empty: one bare
  /// cell per key with no `primitive` parameter, the floor of every family (counter).
  std::map<std::string, std::string> primitive_of_family;
  /// Primitives whose loop runs on one thread: their bare cells are planned at cores=1 only, and every model
  /// row of their families is compared with that one cell.
  std::vector<std::string> one_thread;
  /// Model id -> the primitive of that model's own floor, ahead of its family's: where the model's own work is
  /// part of the primitive (the global-lock models' interpreter lock and tick in `counter`). Planned beside
  /// the family's cells (or the one without a primitive).
  std::map<std::string, std::string> primitive_of_model;

  /// Each family's primitive (empty: none for that family), with the coroutine and fiber loops on one thread
  /// (as every floor has them: one event loop, one fiber scheduler).
  struct Families {
    std::string_view coroutine = {}, fiber = {}, tbb = {}, thread = {};
  };
  static FloorSpec per_family(std::vector<std::string> variants, const Families& primitives);

  bool applies_to(const std::string& variant) const;
  /// The distinct primitives: its families' (in the order of their names), then its models'.
  std::vector<std::string> primitives() const;
  bool runs_on_one_thread(const std::string& primitive) const;
};

/// Builds the cell of a key in the child process (models, buffers, reference answer): not timed. Its model is
/// built from `context` (the cell's cores and parameters, the run's calibration: ModelContext::of_cell).
using CellMaker = CellSetup (*)(const CellKey& key, const ModelContext& context);

/// A workload's bodies, one per kind of model (harness/models/model_registry.hpp: ModelKind). Each is a
/// binding of benchmarks/binding.hpp (`make_stackful_cell<Body>`, `make_coroutine_cell<Body>`,
/// `make_bare_cell<Body>`) or benchmarks/external_binding.hpp (`make_external_cell<Body>`), or a function of the
/// workload's own that ends in one; null where the workload has no body of that kind (its cells are `unsupported`).
/// Each workload's header declares them (`struct Bodies { static const CellMaker stackful, ...; }`, or
/// `extern const CellMaker stackful_body`, ... where it lacks a kind), each body's source defines its own.
struct Bindings {
  CellMaker stackful = nullptr;
  CellMaker coroutine = nullptr;
  CellMaker bare = nullptr;      // the floor's loops (models/bare.hpp); only workloads with `floors` have one
  CellMaker external = nullptr;  // the peer's answers, checked (external_binding.hpp; models/external.hpp)
};

/// The bindings of a workload with a body of every kind, which its `Bodies` name (`stackful`, `coroutine`, `bare`,
/// `external`), each defined in its own source.
template <class Bodies>
Bindings bindings_of() {
  return {
      .stackful = Bodies::stackful, .coroutine = Bodies::coroutine, .bare = Bodies::bare, .external = Bodies::external};
}

/// Written as `WorkloadSpec spec{.name = ..., .description = ..., .variants = ...};`, then the rest by field
/// (each has a default).
struct WorkloadSpec {
  std::string name;
  std::string description;
  std::vector<std::string> variants;
  std::vector<ParamSpec> params{};
  bool hidden = false;  // testing aids: never in the default plan, run only when named
  /// The floors of the variants that have one (at most one per variant): those variants get cells of the
  /// `bare` pseudo-model, which `make` builds too. A workload or variant without one gets no bare rows at all.
  /// `make`'s cells name their floor's primitive in the metric `primitive`.
  std::vector<FloorSpec> floors{};
  /// When set (e.g. "ns_per_switch"), the row's metrics give the median real time per item under this name.
  std::string ns_per_item_metric{};
  /// Variants whose outcome is a matter of chance (a deadlock that timing may or may not reach): the runner
  /// runs each of their cells --trials times, trial t with `seed` + t, and reports the share that deadlocked.
  std::vector<std::string> trial_variants{};
  /// Rules across parameters (e.g. tasks ≤ items): the broken rule, or empty. Checked before anything runs.
  std::function<std::string(const CellKey&)> check{};
  Bindings bindings{};

  /// Builds the cell of `key` in the child process with the body of its model's kind (the one place the
  /// kinds are told apart), or says why it cannot (no body of that kind, or the body's reason). A cell of a
  /// floor with primitives names its primitive in the metric `primitive` (floor_key).
  CellSetup make(const CellKey& key, const ModelContext& context) const;
  const ParamSpec* find_param(const std::string& param) const;
  /// The floor of `variant`, or null when it has none.
  const FloorSpec* floor_of(const std::string& variant) const;
};

/// The key of the `bare` cell a model's cell is compared with: model `bare`, the same workload, variant, tasks
/// and workload parameters (the model's own, e.g. the gil's switch interval, dropped), plus
/// `primitive=<the primitive of the model's family>` when the floor has primitives; cores = the model cell's,
/// or 1 when that primitive's loop runs on one thread. std::nullopt when the model has no family (sequential,
/// bare), the workload or variant has no floor, or the floor has no primitive for the family (fiber in
/// parallel/cpu).
std::optional<CellKey> floor_key(const CellKey& model_key);

}  // namespace concbench
