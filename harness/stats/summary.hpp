#pragma once
/// Summary statistics over repetitions: the figures results.csv reports per cell.

#include <span>

namespace concbench::stats {

struct Summary {
  double median = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation (n − 1); 0 for fewer than two values
  double cv = 0;      // stddev / mean; 0 when the mean is 0
};

/// Throws std::invalid_argument for an empty span.
Summary summarize(std::span<const double> values);
double median(std::span<const double> values);

}  // namespace concbench::stats
