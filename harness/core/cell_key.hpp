#pragma once
/// The identity of one cell of the matrix (DESIGN.md, "Parameters and cell identity").

#include <string>
#include <vector>

#include "harness/core/params.hpp"

namespace concbench {

struct CellKey {
  std::string workload;
  std::string variant;
  std::string model;
  int cores = 1;
  int tasks = 1;
  Params params;  // inputs only, never measured values

  /// One line naming the cell, e.g. `parallel/cpu thread cores=2 tasks=8 items=256;work=20000`.
  std::string label() const;
  /// The same key with `model=sequential, cores=1`, less the parameters of its own model (which
  /// `sequential` does not take): the base of its speedup.
  CellKey speedup_base(const std::vector<std::string>& model_params = {}) const;

  friend bool operator==(const CellKey&, const CellKey&) = default;
};

}  // namespace concbench
