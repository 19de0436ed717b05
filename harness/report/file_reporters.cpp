#include "harness/report/file_reporters.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/report/schema.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;

/// A cell's own Google Benchmark JSON, or a discarded value when it is missing or torn (a cell killed while
/// writing it: its row says so).
nlohmann::json read_cell_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return nlohmann::json(nlohmann::json::value_t::discarded);
  std::ostringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded() && !doc.contains("benchmarks")) return nlohmann::json(nlohmann::json::value_t::discarded);
  return doc;
}

/// `doc` dumped with two spaces per level, every line shifted right by `indent` spaces.
std::string indented(const nlohmann::json& doc, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string text = pad;
  for (const char c : doc.dump(2)) {
    text += c;
    if (c == '\n') text += pad;
  }
  return text;
}

constexpr std::string_view kTail = "\n  ]\n}\n";

}  // namespace

CsvReporter::CsvReporter(const RunDirectory& dir, RunColumns run)
    : run_(std::move(run)),
      results_(dir.results_csv(), schema::results_columns()),
      repetitions_(dir.repetitions_csv(), schema::repetitions_columns()),
      metrics_(dir.metrics_csv(), schema::metrics_columns()) {}

void CsvReporter::cell_finished(const CellEvent& cell) {
  results_.append(fields(run_, cell.row));
  for (const auto& row : repetition_rows(run_, cell.key, cell.result)) repetitions_.append(row);
  for (const auto& row : metric_rows(run_, cell.key, cell.result)) metrics_.append(row);
}

BenchmarkJsonReporter::BenchmarkJsonReporter(const RunDirectory& dir, const std::vector<std::size_t>& kept)
    : dir_(dir) {
  // Whole JSON from the start, headed by the first cell's context once there is one; a resumed run starts it
  // again from the cells it keeps.
  write_file_atomically(dir_.benchmark_json(), "{\n  \"context\": {},\n  \"benchmarks\": [\n  ]\n}\n");
  for (const auto index : kept) append_cell(index);
}

void BenchmarkJsonReporter::cell_finished(const CellEvent& cell) { append_cell(cell.index); }

void BenchmarkJsonReporter::append_cell(std::size_t index) {
  const auto doc = read_cell_json(dir_.cell_json(index));
  if (doc.is_discarded()) return;
  std::string text;
  if (!has_context_) {
    // The first cell's context (the machine and the library, the same for every cell) heads the file.
    text = "{\n  \"context\": " + indented(doc.value("context", nlohmann::json::object()), 2).substr(2) +
           ",\n  \"benchmarks\": [\n";
    tail_at_ = 0;
  }
  for (const auto& benchmark : doc["benchmarks"]) {
    text += (has_entries_ ? ",\n" : "") + indented(benchmark, 4);
    has_entries_ = true;
  }
  // Over the old closing brackets, then new ones: the file is whole JSON again after every cell.
  FILE* file = std::fopen(dir_.benchmark_json().c_str(), has_context_ ? "r+" : "w");
  if (file == nullptr || std::fseek(file, static_cast<long>(tail_at_), SEEK_SET) != 0) {
    if (file != nullptr) std::fclose(file);
    throw std::runtime_error(fmt::format("{}: cannot write", dir_.benchmark_json().string()));
  }
  has_context_ = true;
  std::fwrite(text.data(), 1, text.size(), file);
  tail_at_ = static_cast<std::uintmax_t>(std::ftell(file));
  std::fwrite(kTail.data(), 1, kTail.size(), file);
  const bool written = std::fflush(file) == 0;
  std::fclose(file);
  if (!written) throw std::runtime_error(fmt::format("{}: write failed", dir_.benchmark_json().string()));
  fs::resize_file(dir_.benchmark_json(), tail_at_ + kTail.size());
}

MachineJsonReporter::MachineJsonReporter(const RunDirectory& dir, MachineInfo machine, RunFacts facts)
    : dir_(dir), machine_(std::move(machine)), facts_(std::move(facts)) {
  write_file_atomically(dir_.machine_json(), machine_json(machine_, facts_));
}

void MachineJsonReporter::cell_finished(const CellEvent& cell) {
  if (!facts_.gbench_library_build_type.empty() || cell.result.gbench_library_build_type.empty()) return;
  facts_.gbench_library_build_type = cell.result.gbench_library_build_type;
  write_file_atomically(dir_.machine_json(), machine_json(machine_, facts_));
}

}  // namespace concbench
