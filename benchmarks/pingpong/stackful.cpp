/// `pingpong` on the stackful models: one generic body; the hand-off is the model's (models/handoff.hpp):
/// fibers yield to each other, threads wait on the turn with std::atomic::wait (without the global lock on
/// the gil models).

#include <fmt/format.h>

#include "benchmarks/binding.hpp"
#include "benchmarks/pingpong/pingpong.hpp"
#include "harness/models/handoff.hpp"
#include "harness/models/interpreted.hpp"

namespace concbench {
namespace {

template <StackfulModel M>
class StackfulPingpong final : public pingpong::Cell {
 public:
  StackfulPingpong(M model, const CellKey& key) : pingpong::Cell(key), model_(std::move(model)) {}

  /// Two tasks alternate only where both are in progress at once: not on `sequential` (each task runs to
  /// its end) nor where tasks keep their thread and there are fewer threads than tasks (tbb on one core).
  static std::string unsupported(const CellKey& key) {
    if (!M::info.concurrent) return fmt::format("{} runs each task to its end: two tasks cannot alternate", key.model);
    if (!can_interleave<M>(2, key.cores)) {
      return fmt::format("{} tasks keep their thread to the end: two cannot alternate on {} thread(s)", key.model,
                         key.cores);
    }
    return {};
  }

  void run_once() override {
    start_run();
    end_run(model_.run_tasks(2, [this](std::size_t task) { play(task); }));
  }

 private:
  void play(std::size_t task) {
    auto& turn = this->turn();
    std::int64_t rounds = 0;
    for (auto r = static_cast<std::int64_t>(task); r < switches(); r += 2, ++rounds) {
      for (std::int64_t seen; (seen = turn.load(std::memory_order_acquire)) != r;) handoff_wait<M>(turn, seen);
      pass_turn(r);
      handoff_notify<M>(turn);
      tick<M>();
    }
    played(task, rounds);
  }

  M model_;
};

}  // namespace

constinit const CellMaker pingpong::Bodies::stackful = &make_stackful_cell<StackfulPingpong>;

}  // namespace concbench
