/// `prodcons` on the coroutine models: one coroutine body for every model of `CoroutineModels`, the same
/// producers and consumers as the stackful body, with the channel's send and receive awaited.

#include "benchmarks/binding.hpp"
#include "benchmarks/prodcons/prodcons.hpp"
#include "harness/models/coroutine_model.hpp"

namespace concbench {
namespace {

template <CoroutineModel M>
class CoroutineProdcons final : public prodcons::Cell {
 public:
  CoroutineProdcons(M model, const CellKey& key) : prodcons::Cell(key), model_(std::move(model)) {}

  void run_once() override {
    begin_run();
    Channel channel(static_cast<std::size_t>(config().capacity));
    channel_ = &channel;  // for the member coroutines: it outlives them (run_tasks joins them)
    end_run(model_.run_tasks(
        tasks(), [this](std::size_t task) { return is_producer(task) ? produce(task) : consume(consumer_of(task)); }));
    channel_ = nullptr;
  }

 private:
  using Channel = typename M::template Channel<prodcons::Item>;

  /// Member coroutines, not capturing lambdas: their frames keep `this` and the index as parameters.
  coro::Task<void> produce(std::size_t producer) {
    for (auto id = first_id(producer); id < last_id(producer); ++id) {
      co_await channel_->send(prodcons::Item{id, prodcons::now_ns()});
    }
    if (producer_finished()) channel_->close();
  }

  coro::Task<void> consume(std::size_t consumer) {
    while (auto item = co_await channel_->receive()) consumed(consumer, *item, prodcons::now_ns());
  }

  M model_;
  Channel* channel_ = nullptr;
};

}  // namespace

constinit const CellMaker prodcons::Bodies::coroutine = &make_coroutine_cell<CoroutineProdcons>;

}  // namespace concbench
