#pragma once
/// The --benchmark_* flags a user may pass through to every cell, and the ones the runner refuses.

#include <string>
#include <vector>

namespace concbench {

/// Moves every `--benchmark_*` argument out of `args` and returns them; throws UsageError for a flag
/// that would break the runner's own output, an unknown one, or a bad value.
std::vector<std::string> take_gbench_flags(std::vector<std::string>& args);

/// The flags each cell gets: the run's defaults (`quick` or not), overridden by the user's.
std::vector<std::string> cell_gbench_flags(bool quick, const std::vector<std::string>& user_flags);

}  // namespace concbench
