#pragma once
/// What a cell's child process hands back to the runner over its result pipe: one JSON document.

#include <string>

#include "harness/core/cell_result.hpp"

namespace concbench {

std::string encode(const CellResult& result);
/// Throws std::runtime_error when `text` is not a complete result (a child that died while writing).
CellResult decode_cell_result(const std::string& text);

}  // namespace concbench
