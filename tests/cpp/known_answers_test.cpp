// Known answers, computed independently of the code under test: splitmix64's published outputs (seed 0 and
// 1234567, as in Vigna's reference and java.util.SplittableRandom) and values of tests/scripts/known_answers.py,
// a Python reimplementation (test_known_answers.py checks this table against it). A workload's own
// reference answer that drifted with its code would pass its verification and fail here.
#include <cstdint>

#include <gtest/gtest.h>

#include "benchmarks/parallel/parallel.hpp"
#include "benchmarks/splitmix.hpp"

namespace concbench {
namespace {

// name = value, one per line: parsed by tests/scripts/test_known_answers.py.
constexpr std::uint64_t splitmix_seed0_0 = 0xe220a8397b1dcdafULL;
constexpr std::uint64_t splitmix_seed0_1 = 0x6e789e6aa1b965f4ULL;
constexpr std::uint64_t splitmix_seed0_2 = 0x06c45d188009454fULL;
constexpr std::uint64_t splitmix_seed1234567_0 = 0x599ed017fb08fc85ULL;  // 6457827717110365317
constexpr std::uint64_t splitmix_seed1234567_1 = 0x2c73f08458540fa5ULL;
constexpr std::uint64_t splitmix_seed1234567_2 = 0x883ebce5a3f27c77ULL;
constexpr std::uint64_t cpu_item_0_1 = 0x5692161d100b05e5ULL;
constexpr std::uint64_t cpu_item_7_10 = 0x54cd18c2d109f7b5ULL;
constexpr std::uint64_t cpu_item_63_1000 = 0xe8de6f1dfa899871ULL;
constexpr std::uint64_t cpu_checksum_64_10 = 0x8307d2c4ae00fcd5ULL;

TEST(KnownAnswers, SplitmixSequences) {
  std::uint64_t state = 0;
  EXPECT_EQ(splitmix_next(state), splitmix_seed0_0);
  EXPECT_EQ(splitmix_next(state), splitmix_seed0_1);
  EXPECT_EQ(splitmix_next(state), splitmix_seed0_2);
  state = 1234567;
  EXPECT_EQ(splitmix_next(state), splitmix_seed1234567_0);
  EXPECT_EQ(splitmix_next(state), splitmix_seed1234567_1);
  EXPECT_EQ(splitmix_next(state), splitmix_seed1234567_2);
}

TEST(KnownAnswers, ParallelCpuItemsAndTheReferenceChecksum) {
  EXPECT_EQ(parallel::cpu_item(0, 1), cpu_item_0_1);
  EXPECT_EQ(parallel::cpu_item(7, 10), cpu_item_7_10);
  EXPECT_EQ(parallel::cpu_item(63, 1000), cpu_item_63_1000);
  parallel::Config config;
  config.items = 64;
  config.tasks = 4;
  config.work = 10;
  const auto reference = parallel::reference(config);
  EXPECT_EQ(reference.count, 64U);
  EXPECT_EQ(reference.checksum, cpu_checksum_64_10);
}

}  // namespace
}  // namespace concbench
