#pragma once
/// What every execution model is built from (docs/models.md, "How a model is built"): the cell's cores, the
/// cell's parameters and what the run measured beforehand. The cell's child process builds it once (after its
/// affinity is set) and hands it to the workload, which builds its model from it; tests build one in a line
/// (`ModelContext::with_cores(2)`). Nothing else configures a model: no process-wide settings.

#include <map>
#include <string>

#include "harness/core/cell_key.hpp"
#include "harness/core/params.hpp"

namespace concbench {

/// Figures the run measures on this machine before any cell, for the models that need them (a model says so
/// through its hooks: ModelHooks::checkpoint, harness/models/model_hooks.hpp).
struct Calibration {
  /// The tick used when no Python 3 can be run to calibrate it: 2.0 ns, about what CPython 3.11 takes per
  /// bytecode of the countdown loop on the 2.6 GHz AMD EPYC VM concbench was developed on (2.1–2.3 ns there).
  static constexpr double kDefaultTickNs = 2.0;

  /// One bytecode of the real interpreter, in ns: the work between two checkpoints of the models that run
  /// interpreted ticks (`gil`, `gil-legacy`; docs/gil.md). Measured by app/runner/tick_calibration.
  double tick_ns = kDefaultTickNs;
};

/// How the external models find their peer programs (docs/models.md, "External models: the peer protocol").
struct PeerSettings {
  /// The interpreter of the python-* models (--python; the runner resolves its default). Empty: none found.
  std::string python;
  /// Model id -> an executable that replaces the model's own peer (--peer MODEL=PROGRAM).
  std::map<std::string, std::string> programs;
};

struct ModelContext {
  /// CPUs the cell may use: the first `cores` CPUs of the run's set, already the process's affinity.
  int cores = 1;
  /// The cell's parameters (CellKey::params), the workload's and the model's: a model reads its own, those it
  /// declares in ModelHooks::params (e.g. the gil's `gil_interval_us`), and ignores the rest.
  Params params = {};
  Calibration calibration = {};
  PeerSettings peers = {};  // read by the external models only

  /// `cores` CPUs, no parameters, the default calibration: what a test or a model without settings needs.
  static ModelContext with_cores(int cores) { return {.cores = cores, .params = {}, .calibration = {}, .peers = {}}; }
  /// The context of the cell `key` (its cores and parameters) under the run's calibration and peer settings.
  static ModelContext of_cell(const CellKey& key, const Calibration& calibration = {}, const PeerSettings& peers = {}) {
    return {.cores = key.cores, .params = key.params, .calibration = calibration, .peers = peers};
  }
};

}  // namespace concbench
