#include "app/runner/rerun.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/runner/plan.hpp"
#include "harness/report/build_info.hpp"

namespace concbench {
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path, const fs::path& dir) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec && status.type() != fs::file_type::not_found) {
    throw UsageError(fmt::format("--rerun {}: cannot read it: {}", dir.string(), ec.message()));
  }
  if (status.type() != fs::file_type::regular) {
    throw UsageError(
        fmt::format("--rerun {}: not a concbench report directory (no {})", dir.string(), path.filename().string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.is_open() || in.bad())
    throw UsageError(fmt::format("--rerun {}: cannot read {}", dir.string(), path.string()));
  return text;
}

bool is_option(const std::string& arg, const std::string& name) { return arg == name || arg.starts_with(name + "="); }

std::string joined(const std::vector<int>& values) { return fmt::format("{}", fmt::join(values, ",")); }

}  // namespace

std::vector<std::string> rerun_args(const fs::path& dir) {
  std::vector<std::string> recorded;
  std::istringstream lines(read_file(dir / "plan.args", dir));
  for (std::string line; std::getline(lines, line);) recorded.push_back(line);
  const auto machine = nlohmann::json::parse(read_file(dir / "machine.json", dir), nullptr, false);
  if (machine.is_discarded() || !machine.is_object()) {
    throw UsageError(fmt::format("--rerun {}: machine.json is not valid JSON", dir.string()));
  }

  std::vector<std::string> args;
  bool has_cores = false;
  for (std::size_t i = 0; i < recorded.size(); ++i) {
    if (is_option(recorded[i], "--out")) {
      if (recorded[i] == "--out") ++i;  // and its value
      continue;
    }
    has_cores = has_cores || is_option(recorded[i], "--cores");
    args.push_back(recorded[i]);
  }
  if (!has_cores) {
    const auto affinity = machine.value("affinity", nlohmann::json::array());
    if (!affinity.is_array() || affinity.empty()) {
      throw UsageError(fmt::format("--rerun {}: machine.json records no affinity (the run's CPUs)", dir.string()));
    }
    args.insert(args.begin(), {"--cores", joined(default_cores(static_cast<int>(affinity.size())))});
  }

  const auto version = machine.value("concbench_version", std::string());
  const auto sha = machine.value("git_sha", std::string());
  if (version != build_info::version || sha != build_info::git_sha) {
    fmt::print(stderr, "concbench: note: {} was made by concbench {} (git {}); this is {} (git {})\n", dir.string(),
               version, sha, build_info::version, build_info::git_sha);
  }
  return args;
}

}  // namespace concbench
