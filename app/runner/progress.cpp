#include "app/runner/progress.hpp"

#include <cstdio>
#include <utility>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/runner/estimate.hpp"

namespace concbench {
namespace {

constexpr int kBarWidth = 24;

std::string figure(const ResultRow& row) {
  if (row.status != Status::ok || !row.items_per_s) return fmt::format("{}: {}", to_string(row.status), row.reason);
  auto text = fmt::format("ok  {} items/s", format_number(*row.items_per_s));
  if (row.speedup) text += fmt::format("  speedup {}", format_number(*row.speedup));
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

void Progress::cell_started(std::size_t index, const CellKey& key) {
  if (!terminal_) return;
  const auto total = expected_s_.size();
  const auto filled = static_cast<int>(kBarWidth * index / total);
  fmt::print(stderr, "\r\033[K[{:#<{}}{:.<{}}] {}/{} {} {}", "", filled, "", kBarWidth - filled, index + 1, total,
             timing(), key.label());
  std::fflush(stderr);
}

void Progress::cell_finished(const CellEvent& cell) {
  settled_[cell.index] = true;
  done_expected_s_ += expected_s_[cell.index];
  ++counts_[std::string(to_string(cell.row.status))];
  if (cell.row.cv && *cell.row.cv > kUnstableCv) {
    unstable_.push_back(fmt::format("{} (cv {})", cell.key.label(), format_number(*cell.row.cv)));
  }
  fmt::print(stderr, "{}{} {}  {}\n", terminal_ ? "\r\033[K" : "", counter(cell.index), cell.key.label(),
             figure(cell.row));
}

void Progress::cell_skipped(std::size_t index, const CellKey& key) {
  settled_[index] = true;  // neither time nor pace: it does not run
  ++counts_["ok"];
  fmt::print(stderr, "{} {}  already ok, skipped\n", counter(index), key.label());
}

void Progress::run_finished() {
  if (terminal_) fmt::print(stderr, "\r\033[K");
  int done = 0;
  std::string summary;
  for (const auto& [status, count] : counts_) {
    done += count;
    summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", count, status);
  }
  fmt::print(stderr, "{} of {} cells done: {}\n", done, expected_s_.size(), summary);
  if (unstable_.empty()) return;
  const auto shown = std::min<std::size_t>(unstable_.size(), 3);
  fmt::print(stderr, "concbench: {} cell(s) unstable (cv above {}): {}{}\n", unstable_.size(), kUnstableCv,
             fmt::join(unstable_.begin(), unstable_.begin() + static_cast<long>(shown), "; "),
             unstable_.size() > shown ? "; ..." : "");
}

}  // namespace concbench
