#pragma once
/// `prodcons` on the stackful models: one generic body for every model of harness/models/model_registry.hpp. In a
/// header so a test can bind it with a broken consumer (`Consume`, see prodcons::Honest).

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "benchmarks/prodcons/prodcons.hpp"
#include "harness/models/channels.hpp"
#include "harness/models/interpreted.hpp"

namespace concbench::prodcons {

template <StackfulModel M, class Consume = Honest>
class StackfulProdcons final : public Cell {
 public:
  StackfulProdcons(M model, const CellKey& key) : Cell(key), model_(std::move(model)) {}

  /// A blocked send or receive holds a TBB worker thread: with more producers + consumers than threads, the
  /// tasks that would unblock it may never run (TRAPS.md).
  static std::string unsupported(const CellKey& key) {
    if (!M::info.concurrent || can_interleave<M>(key.tasks, key.cores)) return {};
    return fmt::format("{} producers and consumers block on the channel and cannot interleave on {} {} thread(s)",
                       key.tasks, key.cores, key.model);
  }

  void run_once() override {
    begin_run();
    typename M::template Channel<Item> channel(static_cast<std::size_t>(config().capacity));
    if constexpr (M::info.concurrent) {
      end_run(model_.run_tasks(tasks(), [&](std::size_t task) {
        if (is_producer(task)) {
          produce(channel, task);
        } else {
          consume(channel, consumer_of(task));
        }
      }));
    } else {
      in_turn(channel);
      end_run({1, "produce-then-consume-by-capacity"});
    }
  }

 private:
  using Channel = typename M::template Channel<Item>;

  void produce(Channel& channel, std::size_t producer) {
    for (auto id = first_id(producer); id < last_id(producer); ++id) {
      channel.send(Item{id, now_ns()});
      tick<M>();
    }
    if (producer_finished()) channel.close();
  }

  void consume(Channel& channel, std::size_t consumer) {
    while (auto item = channel.receive()) {
      const auto received = now_ns();
      if (!Consume::drops(item->id)) consumed(consumer, *item, received);
      tick<M>();
    }
  }

  /// One task at a time (sequential): a send to a full channel could never return, so the producers fill the
  /// channel (ids in order, producer after producer), then the consumers empty it, in turn, item by item to
  /// consumer after consumer; then the channel is closed and must be empty.
  void in_turn(Channel& channel) {
    const auto items = static_cast<std::uint64_t>(config().items);
    const auto capacity = static_cast<std::uint64_t>(config().capacity);
    const auto consumers = static_cast<std::size_t>(config().consumers);
    std::size_t consumer = 0;
    for (std::uint64_t batch = 0; batch < items; batch += capacity) {
      const auto end = std::min(items, batch + capacity);
      for (auto id = batch; id < end; ++id) channel.send(Item{id, now_ns()});
      for (auto id = batch; id < end; ++id) {
        auto item = channel.receive();  // present: the batch was just sent
        const auto received = now_ns();
        if (!Consume::drops(item->id)) consumed(consumer, *item, received);
        consumer = (consumer + 1) % consumers;
      }
    }
    channel.close();
    while (auto extra = channel.receive()) consumed(0, *extra, now_ns());  // none; counted if there were
  }

  M model_;
};

}  // namespace concbench::prodcons
