#include "harness/stats/fairness.hpp"

#include <stdexcept>

namespace concbench::stats {

double jain_index(std::span<const double> values) {
  if (values.empty()) throw std::invalid_argument("jain_index: no values");
  double sum = 0;
  double sum_of_squares = 0;
  for (const double value : values) {
    if (value < 0) throw std::invalid_argument("jain_index: negative value");
    sum += value;
    sum_of_squares += value * value;
  }
  if (sum_of_squares == 0) return 1.0;  // nobody got anything: equal shares
  return sum * sum / (static_cast<double>(values.size()) * sum_of_squares);
}

}  // namespace concbench::stats
