#include "benchmarks/philosophers/cell.hpp"

#include <fmt/format.h>

namespace concbench::philosophers {

Cell::Cell(const CellKey& key) : ConfiguredCell(key), table_(config().philosophers, config().meals) {}

std::string Cell::explain(const RunCheck& wrong) const {
  std::string reason;
  if (wrong.violations > 0) {
    reason = fmt::format("neighbours ate at the same time {} time(s) in one run", wrong.violations);
  }
  if (wrong.wrong_seat) {
    if (!reason.empty()) reason += "; ";
    reason +=
        fmt::format("philosopher {} ate {} meals, expected {}", *wrong.wrong_seat, wrong.wrong_meals, config().meals);
  }
  return reason;
}

void Cell::add_figures(CellFigures& figures) const {
  const auto fairness = table_.fairness();
  figures.fairness = fairness.meals;
  if (fairness.wait) figures.metrics["fairness_wait"] = fmt::format("{:.4g}", *fairness.wait);
  if (fairness.wait_p99_us) figures.metrics["wait_p99_us"] = fmt::format("{:.4g}", *fairness.wait_p99_us);
  figures.metrics["seed"] = std::to_string(config().seed);
}

std::map<std::string, std::string> Cell::report_context() const {
  return {{"seed", std::to_string(config().seed)}, {"run", std::to_string(runs_)}};
}

}  // namespace concbench::philosophers
