#pragma once
/// `concbench --rerun REPORT_DIR`: the options an earlier run recorded, to repeat it into a new directory.

#include <filesystem>
#include <string>
#include <vector>

namespace concbench {

/// The run's plan.args, made exact for another machine or day: its `--out` (a path where it ran) is left out,
/// and when it had no `--cores`, the default cores of the machine it ran on (machine.json's affinity) are
/// written out, so the rerun sweeps the same cores or is refused. Notes on stderr when this binary's
/// version or git sha differs from the one that made the run. Throws UsageError (one line) when `dir` is
/// not a readable report directory.
std::vector<std::string> rerun_args(const std::filesystem::path& dir);

}  // namespace concbench
