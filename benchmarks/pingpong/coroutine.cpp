/// `pingpong` on the coroutine models: the task whose turn it is not passes the baton, a symmetric transfer
/// straight into the other task (models/handoff.hpp: coro::Baton).

#include "benchmarks/binding.hpp"
#include "benchmarks/pingpong/pingpong.hpp"
#include "harness/models/coroutine_model.hpp"
#include "harness/models/handoff.hpp"

namespace concbench {
namespace {

template <CoroutineModel M>
class CoroutinePingpong final : public pingpong::Cell {
 public:
  CoroutinePingpong(M model, const CellKey& key) : pingpong::Cell(key), model_(std::move(model)) {}

  void run_once() override {
    start_run();
    baton_.reset();
    end_run(model_.run_tasks(2, [this](std::size_t task) { return play(task); }));
  }

 private:
  /// A member coroutine, not a capturing lambda: its frame keeps `this` and `task` as parameters.
  coro::Task<void> play(std::size_t task) {
    auto& turn = this->turn();
    const auto last = switches();
    auto r = static_cast<std::int64_t>(task);
    for (; r < last; r += 2) {
      while (turn.load(std::memory_order_acquire) != r) co_await baton_.pass();
      pass_turn(r);
    }
    played(task, (r - static_cast<std::int64_t>(task)) / 2);
    baton_.release();
  }

  M model_;
  coro::Baton<typename M::Scheduler> baton_;
};

}  // namespace

constinit const CellMaker pingpong::Bodies::coroutine = &make_coroutine_cell<CoroutinePingpong>;

}  // namespace concbench
