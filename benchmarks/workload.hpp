#pragma once
/// What a workload is to the harness: its parameters, its variants, and the runnable cell it builds.
///
/// Each workload lives in benchmarks/<name>/: a spec (parameters, verification, reference answer) written
/// once, and its bindings to the model families. The harness only sees `WorkloadSpec` and `CellRun`.

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cell_key.hpp"
#include "core/param_spec.hpp"
#include "models/model.hpp"

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
};

/// Either a runnable cell or the reason the model cannot run it sensibly (`status=unsupported`).
struct CellSetup {
  std::unique_ptr<CellRun> run;
  std::string unsupported;
};

struct WorkloadSpec {
  std::string name;
  std::string description;
  std::vector<std::string> variants;
  std::vector<ParamSpec> params;
  bool hidden = false;  // testing aids: never in the default plan, run only when named
  /// Has cells for the `bare` pseudo-model (models/bare.hpp): `make` builds them too. Other workloads get no
  /// bare rows at all.
  bool bare = false;
  /// When set (e.g. "ns_per_switch"), the row's metrics give the median real time per item under this name.
  std::string ns_per_item_metric;
  /// Variants whose outcome is a matter of chance (a deadlock that timing may or may not reach): the runner
  /// runs each of their cells --trials times, trial t with `seed` + t, and reports the share that deadlocked.
  std::vector<std::string> trial_variants;
  /// Rules across parameters (e.g. tasks ≤ items): the broken rule, or empty. Checked before anything runs.
  std::function<std::string(const CellKey&)> check;
  /// Builds the cell in the child process (models, buffers, reference answer): not timed.
  std::function<CellSetup(const CellKey&)> make;

  const ParamSpec* find_param(const std::string& param) const;
};

/// Builds a cell for a stackful model from a workload's generic body `Body<M>` (constructed from
/// `(M model, const CellKey&)`), or says the model has no binding for this workload.
template <template <class> class Body>
CellSetup make_stackful_cell(const CellKey& key);

/// The same for a coroutine model, from the workload's coroutine body `Body<M>` (models/coroutine_model.hpp).
template <template <class> class Body>
CellSetup make_coroutine_cell(const CellKey& key);

}  // namespace concbench

#include "models/registry.hpp"

namespace concbench {

/// A body may refuse a cell its model cannot run sensibly: `static std::string unsupported(const CellKey&)`
/// returning the reason (empty: supported). The row then says `status=unsupported`, never a fake figure.
template <template <class> class Body>
CellSetup make_stackful_cell(const CellKey& key) {
  CellSetup setup;
  setup.run = with_stackful_model(key.model, key.cores, [&](auto model) -> std::unique_ptr<CellRun> {
    using Cell = Body<decltype(model)>;
    if constexpr (requires { Cell::unsupported(key); }) {
      setup.unsupported = Cell::unsupported(key);
      if (!setup.unsupported.empty()) return nullptr;
    }
    return std::make_unique<Cell>(std::move(model), key);
  });
  if (!setup.run && setup.unsupported.empty()) setup.unsupported = "no binding of this workload for model " + key.model;
  return setup;
}

template <template <class> class Body>
CellSetup make_coroutine_cell(const CellKey& key) {
  CellSetup setup;
  setup.run = with_coroutine_model(key.model, key.cores, [&](auto model) -> std::unique_ptr<CellRun> {
    return std::make_unique<Body<decltype(model)>>(std::move(model), key);
  });
  if (!setup.run) setup.unsupported = "no binding of this workload for model " + key.model;
  return setup;
}

}  // namespace concbench
