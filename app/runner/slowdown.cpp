#include "app/runner/slowdown.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

#include "app/runner/plan.hpp"
#include "benchmarks/workload_registry.hpp"

namespace concbench {
namespace {

class SlowedCell final : public CellRun {
 public:
  SlowedCell(std::unique_ptr<CellRun> cell, double percent) : cell_(std::move(cell)), factor_(percent / 100) {}

  std::int64_t items_per_run() const override { return cell_->items_per_run(); }

  void run_once() override {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    cell_->run_once();
    const auto extra = std::chrono::duration<double>(Clock::now() - start) * factor_;
    // Spin rather than sleep: the extra time is as exact as the clock, whatever the timer slack.
    const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(extra);
    while (Clock::now() < until) {
    }
  }

  Verdict verify() const override { return cell_->verify(); }

  /// A cell that times itself is slowed on its own clock too (by the same share).
  std::optional<double> own_run_seconds() const override {
    const auto own = cell_->own_run_seconds();
    return own ? std::optional<double>(*own * (1 + factor_)) : std::nullopt;
  }

  CellFigures figures() const override {
    auto figures = cell_->figures();
    figures.metrics["injected_slowdown_pct"] = fmt::format("{:g}", factor_ * 100);
    return figures;
  }

 private:
  std::unique_ptr<CellRun> cell_;
  double factor_;
};

}  // namespace

bool SlowdownRule::matches(const CellKey& key) const {
  return key.workload == workload && (variant.empty() || key.variant == variant);
}

SlowdownRule parse_slowdown(std::string_view text) {
  const auto eq = text.find('=');
  const auto bad = [&](const std::string& why) {
    return UsageError(fmt::format("--inject-slowdown {}: {} (expected WORKLOAD[/VARIANT]=PERCENT)", text, why));
  };
  if (eq == std::string_view::npos) throw bad("no '='");
  SlowdownRule rule;
  const auto target = text.substr(0, eq);
  const auto slash = target.find('/');
  rule.workload = std::string(target.substr(0, slash));
  if (slash != std::string_view::npos) rule.variant = std::string(target.substr(slash + 1));
  const auto* workload = find_workload(rule.workload);
  if (workload == nullptr) throw bad("unknown workload '" + rule.workload + "'");
  if (!rule.variant.empty() &&
      std::find(workload->variants.begin(), workload->variants.end(), rule.variant) == workload->variants.end()) {
    throw bad("unknown variant '" + rule.variant + "'");
  }
  const auto value = text.substr(eq + 1);
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), rule.percent);
  if (ec != std::errc{} || ptr != value.data() + value.size() || !(rule.percent > 0) || rule.percent > 1000) {
    throw bad("the percentage must be a number above 0 and at most 1000");
  }
  return rule;
}

std::unique_ptr<CellRun> slowed(std::unique_ptr<CellRun> cell, double percent) {
  return std::make_unique<SlowedCell>(std::move(cell), percent);
}

}  // namespace concbench
