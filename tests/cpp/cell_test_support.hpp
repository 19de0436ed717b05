#pragma once
// Shared by the workload tests: a cell built as the cell's process builds it (app/runner/cell_child.cpp).
#include <cstdint>
#include <string_view>

#include <gtest/gtest.h>

#include "benchmarks/workload_registry.hpp"
#include "harness/core/model_context.hpp"

namespace concbench::testing {

/// The cores of the workload tests' cells: fiber-ws sets up its thread pool once per process, so every cell in
/// the unit_tests binary uses one N.
inline constexpr int kCellCores = 2;

/// A short switch interval for `gil`, given to make_cell: a test that runs it stays fast.
inline constexpr std::string_view kFastGil = "gil_interval_us=500";

/// The cell `key` of its workload, its model built from the cell's context (ModelContext::of_cell: the key's
/// cores and parameters, the default calibration). `model_params` (`k=v;k=v`) are added to the context only,
/// for the model (e.g. kFastGil): the key, and so the cell's label and workload, stay as they are.
inline CellSetup make_cell(const CellKey& key, std::string_view model_params = {}) {
  auto context = ModelContext::of_cell(key);
  const auto added = Params::parse(model_params);
  for (const auto& [name, value] : added.values()) context.params.set(name, value);
  return find_workload(key.workload)->make(key, context);
}

/// make_cell with kFastGil, for the workload tests that run `gil` among the other models.
inline CellSetup make_fast_gil_cell(const CellKey& key) { return make_cell(key, kFastGil); }

/// Runs the cell `key` `runs` times, as the measurement loop would, after checking that a run does
/// `items_per_run` items; returns its verdict (a cell that cannot be built fails the test).
inline Verdict run_and_verify(const CellKey& key, std::int64_t items_per_run, std::string_view model_params = {},
                              int runs = 3) {
  auto setup = make_cell(key, model_params);
  if (!setup.run) {
    ADD_FAILURE() << key.label() << ": " << setup.unsupported;
    return {false, "no cell"};
  }
  EXPECT_EQ(setup.run->items_per_run(), items_per_run);
  for (int i = 0; i < runs; ++i) setup.run->run_once();
  return setup.run->verify();
}

}  // namespace concbench::testing
