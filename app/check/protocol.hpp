#pragma once
/// A protocol as the explorer sees it: states packed in 64 bits, and the atomic steps enabled in each.
/// One implementation per protocol (philosophers_model.hpp); the search itself (explorer.hpp) is generic.

#include <cstdint>
#include <string>
#include <vector>

namespace concbench::check {

using State = std::uint64_t;

/// One atomic step: who moves, what it did (a protocol's own code, for describe()), where it leads.
struct Step {
  State next = 0;
  int actor = 0;
  int action = 0;
  int detail = 0;         // e.g. the fork taken
  bool progress = false;  // completes a meal: cycles without such steps are livelocks
};

class Protocol {
 public:
  virtual ~Protocol() = default;
  virtual State initial() const = 0;
  /// How many actors take steps (philosophers).
  virtual int actors() const = 0;
  /// Every step enabled in `state`, appended to `out` (which the caller clears). None: a deadlock.
  virtual void steps(State state, std::vector<Step>& out) const = 0;
  /// One line, e.g. "philosopher 0 takes fork 0 (left)".
  virtual std::string describe(const Step& step) const = 0;
};

}  // namespace concbench::check
