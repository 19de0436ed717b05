// The `prodcons` workload (benchmarks/prodcons/): the reference, every variant on every model and every floor
// at tiny size, and a broken binding and floor caught as failed.
#include "benchmarks/prodcons/prodcons.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cpp/cell_test_support.hpp"
#include "tests/cpp/workload_models.hpp"

#include "benchmarks/binding.hpp"
#include "benchmarks/prodcons/prodcons_bare.hpp"
#include "benchmarks/prodcons/prodcons_stackful.hpp"
#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench {
namespace {

using ::testing::HasSubstr;

CellKey key(const std::string& variant, const std::string& model, int producers, int consumers, int capacity,
            int items = 60) {
  return {"prodcons",
          variant,
          model,
          testing::kCellCores,
          producers + consumers,
          Params::parse(
              fmt::format("capacity={};consumers={};items={};producers={}", capacity, consumers, items, producers))};
}

struct Shape {
  const char* variant;
  int producers;
  int consumers;
};
constexpr Shape kShapes[] = {{"1x1", 1, 1}, {"1xN", 1, 3}, {"Nx1", 3, 1}, {"NxN", 3, 3}};

class ProdconsEveryModel : public ::testing::TestWithParam<std::string> {};

TEST_P(ProdconsEveryModel, EveryShapeAndCapacityConsumesEachItemOnce) {
  for (const auto& shape : kShapes) {
    for (int capacity : {1, 4, 100}) {
      const auto cell_key = key(shape.variant, GetParam(), shape.producers, shape.consumers, capacity);
      ASSERT_EQ(find_workload("prodcons")->check(cell_key), "");
      auto setup = testing::make_cell(cell_key);
      if (!setup.run) {
        // Only TBB refuses: its blocked tasks hold their threads (more tasks than the arena's 2 threads).
        EXPECT_EQ(GetParam(), "tbb") << cell_key.label() << ": " << setup.unsupported;
        EXPECT_GT(cell_key.tasks, testing::kCellCores);
        EXPECT_THAT(setup.unsupported, HasSubstr("cannot interleave"));
        continue;
      }
      setup.run->run_once();
      setup.run->run_once();
      const auto verdict = setup.run->verify();
      EXPECT_TRUE(verdict.ok) << cell_key.label() << ": " << verdict.reason;
      const auto figures = setup.run->figures();
      ASSERT_TRUE(figures.latency_p50_us.has_value()) << cell_key.label();
      EXPECT_LE(*figures.latency_p50_us, *figures.latency_p99_us);
      EXPECT_GE(*figures.latency_p50_us, 0.0);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ProdconsEveryModel, ::testing::ValuesIn(testing::workload_models()),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (auto& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(ProdconsReference, CountsSumsAndHashesEveryIdOnce) {
  const auto reference = prodcons::reference(5);
  EXPECT_EQ(reference.count, 5u);
  EXPECT_EQ(reference.id_sum, 10u);
  prodcons::Tally swapped;  // 0, 1, 1, 3, 5: same count and id sum as 0..4, but 2 lost and 1 doubled...
  for (std::uint64_t id : {0, 1, 1, 3, 5}) swapped.add(id);
  EXPECT_EQ(swapped.count, reference.count);
  EXPECT_EQ(swapped.id_sum, reference.id_sum);
  const auto verdict = prodcons::check(swapped, reference);  // ...which the hash sum catches
  EXPECT_FALSE(verdict.ok);
  EXPECT_THAT(verdict.reason, HasSubstr("not each id once"));
}

TEST(ProdconsSpec, TasksMustBeProducersPlusConsumers) {
  auto bad = key("NxN", "thread", 2, 2, 8);
  bad.tasks = 5;
  EXPECT_THAT(find_workload("prodcons")->check(bad), HasSubstr("must equal producers + consumers"));
}

/// A consumer that loses the item with id 3.
struct DropsOne {
  static constexpr bool drops(std::uint64_t id) noexcept { return id == 3; }
};
template <class M>
using DroppingProdcons = prodcons::StackfulProdcons<M, DropsOne>;

TEST(ProdconsBrokenBinding, AConsumerThatDropsAnItemFailsTheCell) {
  for (const char* model : {"sequential", "thread", "gil"}) {
    const auto cell_key = key("NxN", model, 2, 2, 4);
    auto setup = make_stackful_cell<DroppingProdcons>(cell_key, ModelContext::of_cell(cell_key));
    ASSERT_TRUE(setup.run) << setup.unsupported;
    setup.run->run_once();
    const auto verdict = setup.run->verify();
    EXPECT_FALSE(verdict.ok) << model;
    EXPECT_THAT(verdict.reason, HasSubstr("59 items consumed, expected 60")) << model;
  }
}

// The floors (prodcons/prodcons_bare.hpp). ThreadSanitizer does not follow Boost.Context's stack switches: no fiber
// floor under tsan (docs/traps.md).
constexpr const char* kProdconsFloors[] = {
#if !defined(__SANITIZE_THREAD__)
    "fiber-cv-ring",
#endif
    "std-cv-ring", "tbb-bounded-queue", "coroutine-channel"};

CellKey floor_key_of(const Shape& shape, const char* primitive, int capacity) {
  auto cell_key = key(shape.variant, "bare", shape.producers, shape.consumers, capacity);
  cell_key.params.set("primitive", primitive);
  return cell_key;
}

TEST(ProdconsFloors, EveryShapeAndCapacityConsumesEachItemOnce) {
  for (const char* primitive : kProdconsFloors) {
    for (const auto& shape : kShapes) {
      for (int capacity : {1, 4, 100}) {
        const auto cell_key = floor_key_of(shape, primitive, capacity);
        auto setup = testing::make_cell(cell_key);
        ASSERT_TRUE(setup.run) << cell_key.label() << ": " << setup.unsupported;
        setup.run->run_once();
        setup.run->run_once();
        const auto verdict = setup.run->verify();
        EXPECT_TRUE(verdict.ok) << cell_key.label() << ": " << verdict.reason;
        const auto figures = setup.run->figures();
        EXPECT_EQ(figures.metrics.at("primitive"), primitive);
        EXPECT_FALSE(figures.latency_p50_us.has_value()) << "a floor stamps no item";
      }
    }
  }
}

TEST(ProdconsFloors, ModelRowsNameTheirFloorsPrimitive) {
  for (const auto& [model, primitive] :
       {std::pair{"thread", "std-cv-ring"}, std::pair{"coroutine-pool", "coroutine-channel"},
        std::pair{"sequential", ""}}) {
    auto setup = testing::make_cell(key("1x1", model, 1, 1, 4));
    ASSERT_TRUE(setup.run) << model;
    setup.run->run_once();
    const auto metrics = setup.run->figures().metrics;
    EXPECT_EQ(metrics.contains("primitive") ? metrics.at("primitive") : "", primitive) << model;
  }
}

TEST(ProdconsFloors, AFloorWhoseConsumerDropsAnItemFailsTheCell) {
  for (const char* primitive : kProdconsFloors) {
    prodcons::BareProdcons<DropsOne> cell(floor_key_of(kShapes[3], primitive, 4));
    cell.run_once();
    const auto verdict = cell.verify();
    EXPECT_FALSE(verdict.ok) << primitive;
    EXPECT_THAT(verdict.reason, HasSubstr("59 items consumed, expected 60")) << primitive;
  }
}

}  // namespace
}  // namespace concbench
