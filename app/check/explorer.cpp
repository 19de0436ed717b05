#include "app/check/explorer.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "app/check/state_table.hpp"

namespace concbench::check {
namespace {

constexpr std::uint32_t kNone = StateTable::kAbsent;

class Search {
 public:
  Search(const Protocol& protocol, std::size_t max_states) : protocol_(protocol), max_states_(max_states) {}

  /// Breadth-first from the initial state; stops at the first state without steps (its id), which is
  /// therefore one of the nearest. Records the graph's edges without progress (as state ids) on the way,
  /// so the livelock search walks arrays instead of regenerating steps and hashing states again.
  std::optional<std::uint32_t> breadth_first() {
    add(protocol_.initial(), kNone);
    std::vector<Step> steps;
    for (std::size_t id = 0; id < states_.size(); ++id) {
      first_edge_.push_back(edge_to_.size());
      steps_of(states_[id], steps);
      if (steps.empty()) return static_cast<std::uint32_t>(id);
      for (const Step& step : steps) {
        const std::uint32_t to = add(step.next, static_cast<std::uint32_t>(id));
        if (step.progress) continue;
        edge_to_.push_back(to);
        edge_actor_.push_back(static_cast<std::uint8_t>(step.actor));
      }
    }
    first_edge_.push_back(edge_to_.size());
    return std::nullopt;
  }

  std::size_t size() const { return states_.size(); }

  /// The steps of the breadth-first tree from the initial state to `id`: a shortest path.
  std::vector<Step> path_to(std::uint32_t id) const {
    std::vector<std::uint32_t> ids;
    for (std::uint32_t at = id; at != kNone; at = parent_[at]) ids.push_back(at);
    std::reverse(ids.begin(), ids.end());
    std::vector<Step> path;
    for (std::size_t i = 1; i < ids.size(); ++i) path.push_back(step_between(states_[ids[i - 1]], states_[ids[i]]));
    return path;
  }

  /// A cycle without progress steps in which every actor moves, reachable from the initial state.
  /// Only after breadth_first() explored everything.
  std::optional<Livelock> find_livelock() {
    components_without_progress();
    // Which actors move inside each component: a livelock needs all of them (a philosopher that never moves
    // again is not livelocked but stopped, and a cycle that leaves one out starves it, a different defect).
    const std::uint32_t everyone = (std::uint32_t{1} << protocol_.actors()) - 1;
    std::vector<std::uint32_t> moves(component_count_, 0);
    for (std::uint32_t id = 0; id < states_.size(); ++id) {
      for (std::size_t e = first_edge_[id]; e < first_edge_[id + 1]; ++e) {
        if (component_[edge_to_[e]] == component_[id]) moves[component_[id]] |= std::uint32_t{1} << edge_actor_[e];
      }
    }
    // Ids are in breadth-first order: the first state of such a component is the nearest one.
    for (std::uint32_t id = 0; id < states_.size(); ++id) {
      if (moves[component_[id]] == everyone) return Livelock{path_to(id), cycle_through(id, everyone)};
    }
    return std::nullopt;
  }

 private:
  /// The id of `state`, a new one if it was not seen yet.
  std::uint32_t add(State state, std::uint32_t parent) {
    const auto fresh = static_cast<std::uint32_t>(states_.size());
    const std::uint32_t id = table_.insert(state, fresh);
    if (id != fresh) return id;
    if (states_.size() >= max_states_) {
      throw std::length_error(fmt::format("more than {} states: too large to explore", max_states_));
    }
    states_.push_back(state);
    parent_.push_back(parent);
    return id;
  }

  const std::vector<Step>& steps_of(State state, std::vector<Step>& steps) const {
    steps.clear();
    protocol_.steps(state, steps);
    return steps;
  }

  Step step_between(State from, State to) const {
    std::vector<Step> steps;
    for (const Step& step : steps_of(from, steps)) {
      if (step.next == to) return step;
    }
    throw std::logic_error("explorer: no step between two states of its own path");
  }

  /// Tarjan's strongly connected components over the recorded edges (those without progress),
  /// iteratively: the depth can reach the number of states.
  void components_without_progress() {
    const std::size_t n = states_.size();
    std::vector<std::uint32_t> index(n, kNone), low(n, 0), stack;
    component_.assign(n, kNone);
    struct Frame {
      std::uint32_t id;
      std::size_t next_edge;
    };
    std::vector<Frame> calls;
    std::uint32_t counter = 0;
    const auto enter = [&](std::uint32_t id) {
      index[id] = low[id] = counter++;
      stack.push_back(id);
      calls.push_back({id, first_edge_[id]});
    };
    for (std::uint32_t root = 0; root < n; ++root) {
      if (index[root] != kNone) continue;
      enter(root);
      while (!calls.empty()) {
        const std::uint32_t v = calls.back().id;
        bool descended = false;
        while (calls.back().next_edge < first_edge_[v + 1]) {
          const std::uint32_t w = edge_to_[calls.back().next_edge++];
          if (index[w] == kNone) {
            enter(w);
            descended = true;
            break;
          }
          if (component_[w] == kNone) low[v] = std::min(low[v], index[w]);  // w is on the stack
        }
        if (descended) continue;
        calls.pop_back();
        if (!calls.empty()) low[calls.back().id] = std::min(low[calls.back().id], low[v]);
        if (low[v] != index[v]) continue;
        std::uint32_t w = kNone;
        do {
          w = stack.back();
          stack.pop_back();
          component_[w] = component_count_;
        } while (w != v);
        ++component_count_;
      }
    }
  }

  /// From `from`, a shortest path inside `from`'s component, without progress steps, whose last step
  /// satisfies `done`.
  std::vector<Step> walk(State from, const std::function<bool(const Step&)>& done) const {
    const std::uint32_t component = component_[table_.find(from)];
    std::unordered_map<State, std::pair<State, Step>> reached_from{{from, {from, Step{}}}};
    std::deque<State> queue{from};
    std::vector<Step> steps;
    while (!queue.empty()) {
      const State at = queue.front();
      queue.pop_front();
      for (const Step& step : steps_of(at, steps)) {
        if (step.progress || component_[table_.find(step.next)] != component) continue;
        if (done(step)) {
          std::vector<Step> path{step};
          for (State s = at; s != from;) {
            const auto& [previous, by] = reached_from.at(s);
            path.push_back(by);
            s = previous;
          }
          std::reverse(path.begin(), path.end());
          return path;
        }
        if (reached_from.emplace(step.next, std::pair{at, step}).second) queue.push_back(step.next);
      }
    }
    throw std::logic_error("explorer: a strongly connected component is not strongly connected");
  }

  /// A closed walk from state `id` through its component in which every actor moves: greedily the nearest
  /// move of each actor not yet seen moving, then the shortest way back.
  std::vector<Step> cycle_through(std::uint32_t id, std::uint32_t everyone) const {
    const State start = states_[id];
    std::vector<Step> cycle;
    std::uint32_t moved = 0;
    State at = start;
    for (int actor = 0; actor < protocol_.actors(); ++actor) {
      if ((moved >> actor) & 1) continue;
      for (const Step& step : walk(at, [actor](const Step& s) { return s.actor == actor; })) {
        cycle.push_back(step);
        moved |= std::uint32_t{1} << step.actor;
      }
      at = cycle.back().next;
    }
    if (at != start) {
      for (const Step& step : walk(at, [start](const Step& s) { return s.next == start; })) cycle.push_back(step);
    }
    if (moved != everyone) throw std::logic_error("explorer: the livelock cycle leaves an actor out");
    return cycle;
  }

  const Protocol& protocol_;
  std::size_t max_states_;
  StateTable table_;
  std::vector<State> states_;
  std::vector<std::uint32_t> parent_;
  std::vector<std::size_t> first_edge_;   // state id -> its first edge without progress
  std::vector<std::uint32_t> edge_to_;    // edges without progress: target state id ...
  std::vector<std::uint8_t> edge_actor_;  // ... and the actor that moves
  std::vector<std::uint32_t> component_;  // state id -> strongly connected component
  std::uint32_t component_count_ = 0;
};

}  // namespace

Exploration explore(const Protocol& protocol, std::size_t max_states) {
  if (protocol.actors() > 32) throw std::invalid_argument("explorer: at most 32 actors (a 32-bit mask of who moves)");
  Search search(protocol, max_states);
  Exploration result;
  if (const auto deadlocked = search.breadth_first()) {
    result.deadlock = search.path_to(*deadlocked);
  } else {
    result.livelock = search.find_livelock();
  }
  result.states = search.size();
  return result;
}

}  // namespace concbench::check
