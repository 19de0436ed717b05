#include "runner/progress.hpp"

#include <cstdio>

#include <fmt/format.h>

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

std::string Progress::counter(std::size_t index) const { return fmt::format("[{}/{}]", index + 1, total_); }

void Progress::start(std::size_t index, const CellKey& key) {
  if (!terminal_) return;
  const auto filled = static_cast<int>(kBarWidth * index / total_);
  fmt::print(stderr, "\r\033[K[{:#<{}}{:.<{}}] {}/{} {}", "", filled, "", kBarWidth - filled, index + 1, total_,
             key.label());
  std::fflush(stderr);
}

void Progress::finish(std::size_t index, const CellKey& key, const csv::Row& row) {
  fmt::print(stderr, "{}{} {}  {}\n", terminal_ ? "\r\033[K" : "", counter(index), key.label(), figure(row));
}

void Progress::skip(std::size_t index, const CellKey& key) {
  fmt::print(stderr, "{} {}  already ok, skipped\n", counter(index), key.label());
}

void Progress::done() {
  if (terminal_) fmt::print(stderr, "\r\033[K");
}

}  // namespace concbench
