#pragma once
/// Exhaustive search over every interleaving of a Protocol's steps.
/// Breadth-first, so the deadlock it reports is one of the shortest; when there is none, the strongly
/// connected components of the graph without progress steps show whether a livelock is reachable.

#include <cstddef>
#include <optional>
#include <vector>

#include "app/check/protocol.hpp"

namespace concbench::check {

/// A reachable cycle without progress in which every actor moves, and the shortest way to reach it.
struct Livelock {
  std::vector<Step> prefix;  // from the initial state to the cycle's first state
  std::vector<Step> cycle;   // back to that state
};

struct Exploration {
  std::size_t states = 0;  // distinct states visited (all reachable ones unless a deadlock was found)
  std::optional<std::vector<Step>> deadlock;  // a shortest path to a state in which no step is enabled
  std::optional<Livelock> livelock;           // searched only when no deadlock is reachable
};

/// Explores every reachable state of `protocol`. Throws std::length_error past `max_states` (about 4 GB).
Exploration explore(const Protocol& protocol, std::size_t max_states = std::size_t{1} << 25);

}  // namespace concbench::check
