#pragma once
/// Jain's fairness index: how evenly a resource was shared among n parties.

#include <span>

namespace concbench::stats {

/// J(x) = (Σx)² / (n · Σx²), in [1/n, 1]: 1 when every party got the same, 1/n when one got everything.
/// All zeros count as equal shares (1). Throws std::invalid_argument for an empty span or a negative value.
double jain_index(std::span<const double> values);

}  // namespace concbench::stats
