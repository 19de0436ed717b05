// The reporters that write a run's files (harness/report/file_reporters.hpp), fed events by hand.
#include "harness/report/file_reporters.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cpp/temp_dir.hpp"

namespace concbench {
namespace {

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);  // throws, failing the test, unless the file is whole JSON
}

/// A cell's own Google Benchmark JSON with `runs` benchmark entries named after the cell.
void write_cell(const RunDirectory& dir, std::size_t index, int runs) {
  nlohmann::json doc = {{"context", {{"host_name", "vm"}, {"cell", index}}}, {"benchmarks", nlohmann::json::array()}};
  for (int run = 0; run < runs; ++run)
    doc["benchmarks"].push_back({{"name", fmt::format("cell{}", index)}, {"run", run}});
  std::ofstream(dir.cell_json(index)) << doc.dump();
}

std::vector<std::string> names(const nlohmann::json& doc) {
  std::vector<std::string> out;
  for (const auto& benchmark : doc.at("benchmarks")) out.push_back(benchmark.at("name"));
  return out;
}

struct Fixture {
  testing::TempDir temp;
  RunDirectory dir = RunDirectory::create(temp.path(), "vm");
  CellKey key{"selftest", "ok", "sequential", 1, 1, {}};
  CellResult result;
  ResultRow row;
  CellEvent event(std::size_t index) { return {index, key, result, row}; }
};

TEST(BenchmarkJsonReporter, WholeJsonAfterEveryCellWithEveryCellsEntriesInOrder) {
  Fixture f;
  BenchmarkJsonReporter reporter(f.dir, {});
  EXPECT_TRUE(read_json(f.dir.benchmark_json()).at("benchmarks").empty()) << "valid before the first cell";
  write_cell(f.dir, 0, 2);
  reporter.cell_finished(f.event(0));
  EXPECT_THAT(names(read_json(f.dir.benchmark_json())), ::testing::ElementsAre("cell0", "cell0"));
  EXPECT_EQ(read_json(f.dir.benchmark_json()).at("context").at("cell"), 0) << "the first cell's context";
  std::ofstream(f.dir.cell_json(1)) << "{\"context\": {}, \"benchm";  // a cell killed while writing it
  reporter.cell_finished(f.event(1));
  write_cell(f.dir, 2, 3);
  reporter.cell_finished(f.event(2));
  const auto doc = read_json(f.dir.benchmark_json());
  EXPECT_THAT(names(doc), ::testing::ElementsAre("cell0", "cell0", "cell2", "cell2", "cell2"));
  EXPECT_EQ(doc.at("context").at("cell"), 0);
}

TEST(BenchmarkJsonReporter, AResumedRunStartsFromTheCellsItKeeps) {
  Fixture f;
  write_cell(f.dir, 0, 1);
  write_cell(f.dir, 1, 1);  // not kept: measured again, its old JSON must not stay
  write_cell(f.dir, 2, 1);
  BenchmarkJsonReporter reporter(f.dir, {0, 2});
  EXPECT_THAT(names(read_json(f.dir.benchmark_json())), ::testing::ElementsAre("cell0", "cell2"));
  write_cell(f.dir, 1, 2);
  reporter.cell_finished(f.event(1));
  EXPECT_THAT(names(read_json(f.dir.benchmark_json())), ::testing::ElementsAre("cell0", "cell2", "cell1", "cell1"));
}

TEST(MachineJsonReporter, RewrittenOnceTheLibraryBuildTypeIsKnown) {
  Fixture f;
  MachineInfo machine;
  machine.host = "vm";
  MachineJsonReporter reporter(f.dir, machine, RunFacts{"vm-1", "2026-11-30T00:00:00Z", "concbench", "", {}, {}});
  EXPECT_EQ(read_json(f.dir.machine_json()).at("gbench_library_build_type"), "");
  reporter.cell_finished(f.event(0));  // a cell that said nothing of it
  f.result.gbench_library_build_type = "debug";
  reporter.cell_finished(f.event(1));
  EXPECT_EQ(read_json(f.dir.machine_json()).at("gbench_library_build_type"), "debug");
}

}  // namespace
}  // namespace concbench
