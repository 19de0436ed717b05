#pragma once
/// `convoy`: an I/O-bound task alone, or beside a CPU-bound task — the convoy effect of a global lock.
/// Each I/O operation is one round trip to an echo peer outside the model (a plain thread that never takes
/// any model's lock, standing for another process): write one byte to it, read its echo back, each a
/// blocking system call — `os.write(w, b"x"); os.read(r, 1)` in Python against a forked echo process
/// (scripts/gil_fidelity.py). The read really blocks until the peer answers, which is what lets a
/// CPU-bound task take a global lock meanwhile. Throughput is round trips per second.
///  - `alone`: the I/O task by itself (tasks = 1).
///  - `beside-cpu`: the same, while a second task runs CPU ticks until the I/O task is done (tasks = 2).
/// Under `gil` each system call drops the lock and must win it back from the CPU-bound task, which
/// holds it up to one switch interval: I/O throughput collapses by orders of magnitude (docs/gil.md).

#include <cstdint>
#include <string>

#include "benchmarks/run_tally.hpp"
#include "benchmarks/workload.hpp"
#include "harness/core/cell_key.hpp"

namespace concbench {

WorkloadSpec convoy_workload();

namespace convoy {

/// Its external body (external.cpp); the stackful one is convoy.cpp's own.
extern const CellMaker external_body;

/// What every binding shares: the round trips asked for and the check of each run's count of intact ones.
class Cell : public TalliedCell<std::int64_t> {
 public:
  explicit Cell(const CellKey& key) : ops_(key.params.get_int("ops")) {}

  std::int64_t items_per_run() const override { return ops_; }

 protected:
  std::int64_t ops() const { return ops_; }
  /// A run made `round_trips` intact round trips.
  void end_run(std::int64_t round_trips, WorkerUse workers) { record(round_trips == ops_, round_trips, workers); }

 private:
  std::string explain(const std::int64_t& got) const override;

  std::int64_t ops_;
};

}  // namespace convoy
}  // namespace concbench
