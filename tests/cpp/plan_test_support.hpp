#pragma once
// What the plan tests share: which cells are a fidelity partner's extra cells at a peer's key.
#include <algorithm>
#include <vector>

#include "harness/core/cell_key.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench::testing {

/// Whether `key` is a fidelity partner's cell (gil beside python-threads, coroutine beside the asyncio and
/// generator peers) planned at a peer's quick key: besides its own default sweep, so its speedup base and its
/// floor are planned only where that quick key is also a default key (docs/models.md, external models).
inline bool at_a_peer_key(const CellKey& key, const std::vector<CellKey>& plan) {
  const auto base = key.speedup_base(model_param_names(key.model));
  return std::any_of(plan.begin(), plan.end(), [&](const CellKey& peer) {
    return is_external_model(peer.model) && fidelity_partner(peer.model) == key.model &&
           peer.workload == base.workload && peer.variant == base.variant && peer.tasks == base.tasks &&
           peer.params == base.params;
  });
}

}  // namespace concbench::testing
