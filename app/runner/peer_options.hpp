#pragma once
/// `--python PATH` and `--peer MODEL=PROGRAM`: how the external models' peers are found (docs/models.md,
/// "Finding the peer"), checked and resolved once in the runner, then passed to every external cell.

#include <string>
#include <vector>

#include "harness/core/model_context.hpp"

namespace concbench {

/// The run's peer settings. `python` empty: /usr/bin/python3 when it exists, else python3 on PATH (or none:
/// the python-* rows then say so). Throws UsageError for a `python` that is not an executable file, or a
/// `--peer` that names no external model or no executable file.
PeerSettings peer_settings(const std::string& python, const std::vector<std::string>& peers);

/// The `__cell` arguments that carry `settings` to an external model's cell.
std::vector<std::string> peer_args(const PeerSettings& settings);

}  // namespace concbench
