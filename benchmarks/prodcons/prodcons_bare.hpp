#pragma once
/// `prodcons` on the `bare` pseudo-model (models/bare.hpp): each channel the models use, in a minimal loop,
/// the floor of the model rows whose metric `primitive` names it. The same producers, consumers, capacity and
/// ids as the models' cells, and the same check (every id consumed exactly once), but no timestamps: a
/// consumer tallies its ids locally and hands the tally over once, at its end (no latency figures).
///  - std-cv-ring: the ring buffer under std::mutex + two std::condition_variables (models/blocking_channel.hpp,
///    as `thread` uses it), one std::thread per producer and consumer.
///  - fiber-cv-ring: the same ring under Boost.Fiber's mutex and condition variable, one fiber per producer and
///    consumer on the cell's thread.
///  - tbb-bounded-queue: tbb::concurrent_bounded_queue of the ids, one std::thread per producer and consumer
///    (a blocked push or pop holds its thread: on threads, any shape runs); the last producer closes it with
///    one end marker per consumer.
///  - coroutine-channel: the minimal one-thread channel of bare/coroutine_channel.hpp, one coroutine per
///    producer and consumer.

/// In a header so a test can bind it with a broken consumer (`Consume`, see prodcons::Honest), as
/// prodcons/prodcons_stackful.hpp.

#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <oneapi/tbb/concurrent_queue.h>
#include <boost/fiber/condition_variable.hpp>
#include <boost/fiber/mutex.hpp>

#include "benchmarks/bare/coroutine_channel.hpp"
#include "benchmarks/bare/coroutine_loops.hpp"
#include "benchmarks/bare/fiber_loops.hpp"
#include "benchmarks/bare/thread_loops.hpp"
#include "benchmarks/prodcons/prodcons.hpp"
#include "harness/models/bare.hpp"
#include "harness/models/blocking_channel.hpp"

namespace concbench::prodcons {

using Id = std::uint64_t;

/// tbb::concurrent_bounded_queue as a channel: close() sends one end marker per consumer (ids are below it).
class TbbQueue {
 public:
  TbbQueue(std::size_t capacity, std::size_t consumers) : consumers_(consumers) {
    queue_.set_capacity(static_cast<std::ptrdiff_t>(capacity));
  }
  void send(Id id) { queue_.push(id); }
  std::optional<Id> receive() {
    Id id = 0;
    queue_.pop(id);
    return id == kEnd ? std::nullopt : std::optional<Id>(id);
  }
  void close() {
    for (std::size_t consumer = 0; consumer < consumers_; ++consumer) queue_.push(kEnd);
  }

 private:
  static constexpr Id kEnd = std::numeric_limits<Id>::max();
  std::size_t consumers_;
  oneapi::tbb::concurrent_bounded_queue<Id> queue_;
};

template <class Consume = Honest>
class BareProdcons final : public Cell {
 public:
  explicit BareProdcons(const CellKey& key) : Cell(key), primitive_(key.params.get("primitive")) {}

  void run_once() override {
    begin_run();
    const auto capacity = static_cast<std::size_t>(config().capacity);
    if (primitive_ == primitive::kStdCvRing) {
      BlockingChannel<Id, std::mutex, std::condition_variable> channel(capacity);
      end_run({bare::on_threads(tasks(), [&](std::size_t task) { play(channel, task); }), "thread-per-task"});
    } else if (primitive_ == primitive::kFiberCvRing) {
      BlockingChannel<Id, boost::fibers::mutex, boost::fibers::condition_variable> channel(capacity);
      std::vector<boost::fibers::fiber> fibers(tasks());
      bare::on_fibers(fibers, boost::fibers::launch::post, [&](std::size_t task) { play(channel, task); });
      end_run({1, "fiber-per-task"});
    } else if (primitive_ == primitive::kTbbBoundedQueue) {
      TbbQueue channel(capacity, static_cast<std::size_t>(config().consumers));
      end_run({bare::on_threads(tasks(), [&](std::size_t task) { play(channel, task); }), "thread-per-task"});
    } else {
      coroutines(capacity);
      end_run({1, "coroutine-per-task"});
    }
  }

 private:
  /// Task `task`'s part, a producer or a consumer, on a channel with blocking send and receive.
  template <class Channel>
  void play(Channel& channel, std::size_t task) {
    if (is_producer(task)) {
      for (auto id = first_id(task); id < last_id(task); ++id) channel.send(id);
      if (producer_finished()) channel.close();
    } else {
      Tally tally;
      while (const auto id = channel.receive()) {
        if (!Consume::drops(*id)) tally.add(*id);
      }
      consumed_all(consumer_of(task), tally);
    }
  }

  /// Member coroutines, not capturing lambdas: their frames keep their arguments as parameters.
  bare::Task<> produce(bare::Channel<Id>& channel, std::size_t producer) {
    for (auto id = first_id(producer); id < last_id(producer); ++id) co_await channel.send(id);
    if (producer_finished()) channel.close();
  }
  bare::Task<> consume(bare::Channel<Id>& channel, std::size_t consumer) {
    Tally tally;
    while (const auto id = co_await channel.receive()) {
      if (!Consume::drops(*id)) tally.add(*id);
    }
    consumed_all(consumer, tally);
  }
  void coroutines(std::size_t capacity) {
    bare::ReadyQueue ready(tasks());
    bare::Channel<Id> channel(capacity, ready);
    std::vector<bare::Task<>> roles;
    roles.reserve(tasks());
    for (std::size_t task = 0; task < tasks(); ++task) {
      roles.push_back(is_producer(task) ? produce(channel, task) : consume(channel, consumer_of(task)));
      ready.push(roles.back().handle());
    }
    ready.run();  // every role ends (a lost id would be seen by the check)
  }

  std::string primitive_;
};

}  // namespace concbench::prodcons
