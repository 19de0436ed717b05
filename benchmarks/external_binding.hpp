#pragma once
/// How a workload's external body becomes a cell (`Bindings::external`): the binding of every model of
/// `ExternalModels` (harness/models/external.hpp), whose cells run in a peer program (docs/models.md, "External
/// models: the peer protocol").
///
/// An external body is a class over the workload's own cell: `PeerBody<workload::Cell>`, constructed from
/// `(std::unique_ptr<Peer>, const CellKey&)`. Its `run_once` asks the peer for one run (`next_run`) and hands
/// the answer to the workload's cell as a C++ body hands its own (the same `record`, the same reference, the
/// same check): a lying peer fails verification like a broken body. The peer's own elapsed time is the run's
/// (`own_run_seconds`). Whether a cell is supported is the peer's to say (its `unsupported` answer).

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "benchmarks/workload.hpp"
#include "harness/models/model_registry.hpp"
#include "harness/models/peer/peer.hpp"

namespace concbench {

template <class WorkloadCell>
class PeerBody : public WorkloadCell {
 public:
  PeerBody(std::unique_ptr<Peer> peer, const CellKey& key) : WorkloadCell(key), peer_(std::move(peer)) {}

  std::optional<double> own_run_seconds() const final { return peer_->last_run_seconds(); }

 protected:
  /// One run of the peer: its result (workers() then says what it used).
  PeerResult next_run() {
    auto run = peer_->run();
    workers_ = run.workers;
    // The rows keep a view of the mapping: each distinct one is kept for the process's life.
    static std::set<std::string> mappings;
    mapping_ = *mappings.insert(std::move(run.mapping)).first;
    return std::move(run.result);
  }
  WorkerUse workers() const { return {workers_, mapping_}; }

 private:
  std::unique_ptr<Peer> peer_;
  int workers_ = 1;
  std::string_view mapping_;
};

/// The cell of `Body` for the external model the key names: its peer started and told the cell, or the
/// reason it cannot run it (the program is missing, or the peer says so).
template <class Body>
CellSetup make_external_cell(const CellKey& key, const ModelContext& context) {
  CellSetup setup;
  const bool known = visit_model(ExternalModels{}, key.model, [&]<class M>() {
    auto started = Peer::start(key, context, M::peer);
    if (!started.peer) {
      setup.unsupported = std::move(started.unsupported);
      return;
    }
    setup.run = std::make_unique<Body>(std::move(started.peer), key);
  });
  if (!known) setup.unsupported = "no binding of this workload for model " + key.model;
  return setup;
}

}  // namespace concbench
