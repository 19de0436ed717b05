// What a cell's child hands back to the runner (app/runner/cell_result_codec.hpp).
#include "app/runner/cell_result_codec.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace concbench {
namespace {

CellResult full_result() {
  CellResult result;
  result.status = Status::ok;
  result.reason = "with \"quotes\", commas\nand a line break";
  result.verified = true;
  result.items = 1'000'000'000'000;  // beyond 32 bits
  result.workers = 8;
  result.metrics = {{"mapping", "thread-per-task"}, {"iterations", "39"}};
  result.latency_p50_us = 12.5;
  result.latency_p99_us = 0.1;
  result.fairness = 1.0;
  result.repetitions = {{39, 0.0018, 0.0017, 35288.25}, {40, 1e-9, 2e-9, 1e12}};
  result.gbench_library_build_type = "debug";
  return result;
}

void expect_same(const CellResult& got, const CellResult& want) {
  EXPECT_EQ(got.status, want.status);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.verified, want.verified);
  EXPECT_EQ(got.items, want.items);
  EXPECT_EQ(got.workers, want.workers);
  EXPECT_EQ(got.metrics, want.metrics);
  EXPECT_EQ(got.latency_p50_us, want.latency_p50_us);
  EXPECT_EQ(got.latency_p99_us, want.latency_p99_us);
  EXPECT_EQ(got.fairness, want.fairness);
  EXPECT_EQ(got.gbench_library_build_type, want.gbench_library_build_type);
  ASSERT_EQ(got.repetitions.size(), want.repetitions.size());
  for (std::size_t i = 0; i < want.repetitions.size(); ++i) {
    EXPECT_EQ(got.repetitions[i].iterations, want.repetitions[i].iterations);
    EXPECT_EQ(got.repetitions[i].real_time_s, want.repetitions[i].real_time_s);  // exact: JSON keeps doubles
    EXPECT_EQ(got.repetitions[i].cpu_time_s, want.repetitions[i].cpu_time_s);
    EXPECT_EQ(got.repetitions[i].items_per_s, want.repetitions[i].items_per_s);
  }
}

TEST(CellResult, EncodeDecodeRoundTripsEveryField) {
  const auto result = full_result();
  expect_same(decode_cell_result(encode(result)), result);
}

TEST(CellResult, AbsentOptionalsStayAbsent) {
  CellResult result;
  result.status = Status::failed;
  result.reason = "verification failed: sum 4, expected 3";
  const auto decoded = decode_cell_result(encode(result));
  expect_same(decoded, result);
  EXPECT_FALSE(decoded.latency_p50_us.has_value());
  EXPECT_FALSE(decoded.fairness.has_value());
}

TEST(CellResult, TruncatedTextThrows) {
  // A child killed while writing leaves part of its document in the pipe.
  const auto text = encode(full_result());
  for (std::size_t length : {std::size_t{0}, std::size_t{1}, text.size() / 2, text.size() - 1}) {
    EXPECT_THROW(decode_cell_result(text.substr(0, length)), std::runtime_error) << length;
  }
}

TEST(CellResult, DocumentMissingAFieldThrows) {
  EXPECT_THROW(decode_cell_result("{}"), std::runtime_error);
  EXPECT_THROW(decode_cell_result(R"({"status":"ok"})"), std::runtime_error);
}

}  // namespace
}  // namespace concbench
