#include "app/runner/peer_options.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "app/runner/plan.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;

bool executable_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

/// python3 on PATH, absolute; empty when there is none.
std::string python_on_path() {
  const char* path = std::getenv("PATH");
  for (std::string_view dirs = path != nullptr ? path : ""; !dirs.empty();) {
    const auto colon = dirs.find(':');
    const auto dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    if (dir.empty()) continue;
    const auto candidate = fs::path(dir) / "python3";
    if (executable_file(candidate)) return fs::absolute(candidate).string();
  }
  return {};
}

}  // namespace

PeerSettings peer_settings(const std::string& python, const std::vector<std::string>& peers) {
  PeerSettings settings;
  if (!python.empty()) {
    if (!executable_file(python)) throw UsageError(fmt::format("--python {}: not an executable file", python));
    settings.python = fs::absolute(python).string();
  } else {
    settings.python = executable_file("/usr/bin/python3") ? "/usr/bin/python3" : python_on_path();
  }
  for (const auto& peer : peers) {
    const auto eq = peer.find('=');
    const auto model = peer.substr(0, eq);
    if (eq == std::string::npos || eq + 1 == peer.size()) {
      throw UsageError(fmt::format("--peer {}: expected MODEL=PROGRAM", peer));
    }
    if (!is_external_model(model)) throw UsageError(fmt::format("--peer {}: {} is not an external model", peer, model));
    const auto program = peer.substr(eq + 1);
    if (!executable_file(program))
      throw UsageError(fmt::format("--peer {}: {} is not an executable file", peer, program));
    settings.programs[model] = fs::absolute(program).string();
  }
  return settings;
}

std::vector<std::string> peer_args(const PeerSettings& settings) {
  std::vector<std::string> args;
  if (!settings.python.empty()) args.push_back("--python=" + settings.python);
  for (const auto& [model, program] : settings.programs) args.push_back(fmt::format("--peer={}={}", model, program));
  return args;
}

}  // namespace concbench
