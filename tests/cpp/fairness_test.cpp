// Jain's fairness index (harness/stats/fairness.hpp) on data whose answer is known.
#include "harness/stats/fairness.hpp"

#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace concbench::stats {
namespace {

TEST(JainIndex, IsOneForEqualShares) {
  const std::vector<double> equal{7, 7, 7, 7, 7};
  EXPECT_DOUBLE_EQ(jain_index(equal), 1.0);
}

TEST(JainIndex, IsOneOverNWhenOneTakesAll) {
  for (std::size_t n : {1u, 2u, 5u, 10u}) {
    std::vector<double> values(n, 0.0);
    values[n - 1] = 42;
    EXPECT_DOUBLE_EQ(jain_index(values), 1.0 / static_cast<double>(n)) << n;
  }
}

TEST(JainIndex, MatchesTheFormulaInBetween) {
  const std::vector<double> values{1, 2, 3};  // 36 / (3 · 14)
  EXPECT_DOUBLE_EQ(jain_index(values), 36.0 / 42.0);
  const std::vector<double> half{5, 5, 0, 0};  // two of four share everything: 2/4
  EXPECT_DOUBLE_EQ(jain_index(half), 0.5);
}

TEST(JainIndex, ScaleDoesNotMatter) {
  const std::vector<double> small{1, 2, 3};
  const std::vector<double> large{1000, 2000, 3000};
  EXPECT_DOUBLE_EQ(jain_index(small), jain_index(large));
}

TEST(JainIndex, AllZerosAreEqualShares) {
  const std::vector<double> zeros{0, 0, 0};
  EXPECT_DOUBLE_EQ(jain_index(zeros), 1.0);
}

TEST(JainIndex, RefusesEmptyAndNegativeInput) {
  EXPECT_THROW(jain_index({}), std::invalid_argument);
  const std::vector<double> negative{1, -1};
  EXPECT_THROW(jain_index(negative), std::invalid_argument);
}

}  // namespace
}  // namespace concbench::stats
