#include "app/runner/cell_child.hpp"

#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "app/runner/cell_result_codec.hpp"
#include "app/runner/measure.hpp"
#include "app/runner/slowdown.hpp"
#include "benchmarks/workload_registry.hpp"
#include "harness/core/deadlock.hpp"
#include "harness/models/model_registry.hpp"
#include "harness/models/peer/peer.hpp"
#include "harness/stats/summary.hpp"

namespace concbench {
namespace {

void pin_to(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof(set), &set) != 0) {
    throw std::runtime_error(fmt::format("sched_setaffinity: {}", std::strerror(errno)));
  }
}

void write_result(const CellResult& result) {
  const auto text = encode(result);
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(kResultFd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent is gone: nobody to tell
    done += static_cast<std::size_t>(n);
  }
}

/// A workload's monitor proved a deadlock: its tasks can never be joined, so the row is written from here
/// and the process ends at once (core/deadlock.hpp).
[[noreturn]] void end_in_deadlock(const DeadlockReport& report) {
  CellResult result;
  result.status = Status::deadlock;
  result.reason = report.reason;
  result.metrics = report.metrics;
  write_result(result);
  std::_Exit(0);
}

/// Trial t of a cell draws its randomness from `seed` + t; the row keeps the key's own seed.
CellKey trial_key(const CellRequest& request) {
  auto key = request.key;
  if (request.trial > 0 && key.params.has("seed")) {
    key.params.set("seed", std::to_string(key.params.get_int("seed") + request.trial));
  }
  return key;
}

CellResult measure_request(const CellRequest& request) {
  CellResult result;
  const auto* workload = find_workload(request.key.workload);
  if (workload == nullptr) throw std::runtime_error("unknown workload " + request.key.workload);
  const auto key = trial_key(request);
  // Everything the cell's model is built from: its cores, its parameters, the run's calibration.
  auto setup = workload->make(key, ModelContext::of_cell(key, request.calibration, request.peers));
  if (!setup.run) {
    result.status = Status::unsupported;
    result.reason = setup.unsupported;
    return result;
  }
  if (request.slowdown_pct > 0) setup.run = slowed(std::move(setup.run), request.slowdown_pct);
  const auto measurement =
      measure(*setup.run, request.key.label(), request.gbench_flags, request.json_path, request.budget_s);
  result.gbench_library_build_type = measurement.gbench_library_build_type;
  result.items = setup.run->items_per_run();
  const auto figures = setup.run->figures();
  result.workers = figures.workers.workers;
  result.metrics = figures.metrics;
  if (!figures.workers.mapping.empty()) result.metrics["mapping"] = std::string(figures.workers.mapping);
  result.metrics.merge(model_process_metrics(request.key.model));  // read while the model is alive
  if (!measurement.ok) {
    result.status = measurement.deadlock ? Status::deadlock : measurement.crashed ? Status::crashed : Status::failed;
    result.reason = measurement.error;
    return result;
  }
  result.status = Status::ok;
  result.verified = true;
  result.repetitions = measurement.repetitions;
  if (!workload->ns_per_item_metric.empty() && result.items > 0) {
    std::vector<double> run_times;
    for (const auto& repetition : result.repetitions) run_times.push_back(repetition.real_time_s);
    result.metrics[workload->ns_per_item_metric] =
        fmt::format("{:.4g}", stats::median(run_times) * 1e9 / static_cast<double>(result.items));
  }
  result.latency_p50_us = figures.latency_p50_us;
  result.latency_p99_us = figures.latency_p99_us;
  result.fairness = figures.fairness;
  return result;
}

}  // namespace

int run_cell_child(const CellRequest& request) {
  CellResult result;
  try {
    pin_to(request.cpus);
    set_deadlock_handler(&end_in_deadlock);
    // Sleeps of the io workloads wake on time (the default 50 µs slack would add to every blocking wait).
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    result = measure_request(request);
  } catch (const PeerError& e) {  // an external model's peer that went wrong before its first run
    result.status = e.crashed() ? Status::crashed : Status::failed;
    result.reason = e.what();
  } catch (const std::exception& e) {
    result.status = Status::failed;
    result.reason = e.what();
  }
  write_result(result);
  // A deadlocked cell's tasks were never joined (the coroutine models leave their frames suspended): end
  // here, as a monitor's report does, rather than run destructors and leak checks over what cannot end.
  if (result.status == Status::deadlock) std::_Exit(0);
  return 0;
}

}  // namespace concbench
