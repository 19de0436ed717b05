#pragma once
/// Progress on stderr: a bar redrawn in place on a terminal, one plain line per cell otherwise.

#include <cstddef>
#include <string>

#include "core/cell_key.hpp"
#include "report/csv.hpp"

namespace concbench {

class Progress {
 public:
  Progress(std::size_t total, bool terminal) : total_(total), terminal_(terminal) {}
  void start(std::size_t index, const CellKey& key);
  void finish(std::size_t index, const CellKey& key, const csv::Row& row);
  void skip(std::size_t index, const CellKey& key);  // already ok in the run being resumed
  void done();

 private:
  std::string counter(std::size_t index) const;
  std::size_t total_;
  bool terminal_;
};

}  // namespace concbench
