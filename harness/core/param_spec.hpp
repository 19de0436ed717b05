#pragma once
/// The description of one input parameter: its default sweeps, bounds and the variants that take it.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace concbench {

/// One input of a workload, or of a model (the global lock's switch interval). `tasks` is a parameter like
/// the others, but lands in the key's own column.
/// A parameter whose defaults differ by variant has one entry per group of variants (same name and bounds).
struct ParamSpec {
  std::string name;
  std::string description;
  std::string unit;
  std::vector<std::string> defaults;        // the default sweep
  std::vector<std::string> quick_defaults;  // the sweep under --quick; empty: same as defaults
  std::int64_t min = 1;
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::vector<std::string> variants;  // variants that take it; empty: all
  /// Words the value must be one of (e.g. the bare model's `primitive`); empty: an integer in [min, max].
  std::vector<std::string> choices = {};

  bool applies_to(const std::string& variant) const;
  /// Throws std::invalid_argument with a one-line reason.
  void validate(const std::string& value) const;
};

}  // namespace concbench
