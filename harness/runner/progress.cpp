#include "runner/progress.hpp"

#include <cstdio>
#include <utility>

#include <fmt/format.h>

#include "runner/estimate.hpp"

namespace concbench {
namespace {

constexpr int kBarWidth = 24;

std::string field(const csv::Row& row, const std::string& column) {
  const auto it = row.find(column);
  return it == row.end() ? std::string{} : it->second;
}

std::string figure(const csv::Row& row) {
  const auto status = field(row, "status");
  if (status != "ok") return fmt::format("{}: {}", status, field(row, "reason"));
  auto text = fmt::format("ok  {} items/s", field(row, "items_per_s"));
  if (const auto speedup = field(row, "speedup"); !speedup.empty()) text += fmt::format("  speedup {}", speedup);
  return text;
}

}  // namespace

Progress::Progress(std::vector<double> expected_s, bool terminal)
    : expected_s_(std::move(expected_s)), settled_(expected_s_.size(), false), terminal_(terminal) {}

std::string Progress::counter(std::size_t index) const {
  return fmt::format("[{}/{} {}]", index + 1, expected_s_.size(), timing());
}

std::string Progress::timing() const {
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - started_).count();
  double left_s = 0;
  for (std::size_t i = 0; i < expected_s_.size(); ++i) {
    if (!settled_[i]) left_s += expected_s_[i];
  }
  if (done_expected_s_ > 0) left_s *= elapsed_s / done_expected_s_;
  const auto whole = static_cast<long long>(elapsed_s);
  return fmt::format("{}:{:02} elapsed, ~{} left", whole / 60, whole % 60, format_duration(left_s));
}

void Progress::start(std::size_t index, const CellKey& key) {
  if (!terminal_) return;
  const auto total = expected_s_.size();
  const auto filled = static_cast<int>(kBarWidth * index / total);
  fmt::print(stderr, "\r\033[K[{:#<{}}{:.<{}}] {}/{} {} {}", "", filled, "", kBarWidth - filled, index + 1, total,
             timing(), key.label());
  std::fflush(stderr);
}

void Progress::finish(std::size_t index, const CellKey& key, const csv::Row& row) {
  settled_[index] = true;
  done_expected_s_ += expected_s_[index];
  fmt::print(stderr, "{}{} {}  {}\n", terminal_ ? "\r\033[K" : "", counter(index), key.label(), figure(row));
}

void Progress::skip(std::size_t index, const CellKey& key) {
  settled_[index] = true;  // neither time nor pace: it does not run
  fmt::print(stderr, "{} {}  already ok, skipped\n", counter(index), key.label());
}

void Progress::done() {
  if (terminal_) fmt::print(stderr, "\r\033[K");
}

}  // namespace concbench
