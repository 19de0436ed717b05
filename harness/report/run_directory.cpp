#include "harness/report/run_directory.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace concbench {
namespace fs = std::filesystem;

namespace {

std::string compact_timestamp() {
  return fmt::format("{:%Y%m%dT%H%M%SZ}", std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

}  // namespace

std::string utc_timestamp() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

void write_file_atomically(const fs::path& path, const std::string& content) {
  const auto temporary = fs::path(path.string() + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) throw std::runtime_error(fmt::format("{}: cannot write", temporary.string()));
  }
  fs::rename(temporary, path);
}

RunDirectory RunDirectory::create(const fs::path& parent, const std::string& host) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create output directory {}: {}", parent.string(), ec.message()));
  const auto stem = fmt::format("{}-{}", host, compact_timestamp());
  fs::path dir = parent / stem;
  // Two runs started in the same second get distinct directories.
  for (int n = 2; !fs::create_directory(dir, ec); ++n) {
    if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    dir = parent / fmt::format("{}-{}", stem, n);
  }
  fs::create_directory(dir / "cells", ec);
  std::ofstream probe(dir / "results.csv", std::ios::app);
  if (ec || !probe) throw std::runtime_error(fmt::format("cannot write into {}", dir.string()));
  return RunDirectory(dir);
}

RunDirectory RunDirectory::open_existing(const fs::path& dir) {
  RunDirectory run(dir);
  if (!fs::is_regular_file(run.plan_args())) {
    throw std::runtime_error(fmt::format("{} is not a concbench run directory (no plan.args)", dir.string()));
  }
  std::error_code ec;
  fs::create_directories(dir / "cells", ec);
  return run;
}

fs::path RunDirectory::cell_json(std::size_t index) const { return dir_ / "cells" / fmt::format("{:04}.json", index); }
fs::path RunDirectory::cell_log(std::size_t index) const { return dir_ / "cells" / fmt::format("{:04}.stderr", index); }

void RunDirectory::write_plan_args(const std::vector<std::string>& args) const {
  std::string text;
  for (const auto& arg : args) text += arg + '\n';
  write_file_atomically(plan_args(), text);
}

std::vector<std::string> RunDirectory::read_plan_args() const {
  std::ifstream in(plan_args());
  std::vector<std::string> args;
  for (std::string line; std::getline(in, line);) args.push_back(line);
  return args;
}

}  // namespace concbench
