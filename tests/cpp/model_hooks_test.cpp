// The optional model hooks (harness/models/model_hooks.hpp): every model declares them, the concepts reject a
// model that does not or whose hooks are not consistent, and the helpers that read them (interpreted.hpp, the
// registry) follow each model's hooks and the defaults. That a misspelt hook does not compile is checked by
// ctest compiling tests/cpp/compile_checks/misspelt_hook.cpp.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/models/coroutine_model.hpp"
#include "harness/models/interpreted.hpp"
#include "harness/models/model.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench {
namespace {

/// The smallest stackful model, with the hooks it is given.
template <class Hooks>
struct ModelWith {
  static constexpr ModelInfo info{.id = "test", .description = "test", .single_core = true, .concurrent = false};
  static constexpr ModelHooks hooks = Hooks::value;
  using Mutex = SequentialModel::Mutex;
  template <class T>
  using Channel = SequentialModel::Channel<T>;
  explicit ModelWith(const ModelContext& /*context*/) {}
  WorkerUse run_tasks(std::size_t /*tasks*/, const TaskBody& /*body*/) { return {}; }
  static void block_for(std::chrono::nanoseconds /*wait*/) {}
  static void yield() {}
};

struct NoHooks {
  static constexpr ModelHooks value{};
};
static_assert(StackfulModel<ModelWith<NoHooks>>, "hooks{}: every hook at its default");

/// The same model without `hooks` at all: it satisfies no concept, so leaving the declaration out is visible.
struct WithoutHooks {
  static constexpr ModelInfo info = ModelWith<NoHooks>::info;
  using Mutex = SequentialModel::Mutex;
  template <class T>
  using Channel = SequentialModel::Channel<T>;
  explicit WithoutHooks(const ModelContext& /*context*/) {}
  WorkerUse run_tasks(std::size_t /*tasks*/, const TaskBody& /*body*/) { return {}; }
  static void block_for(std::chrono::nanoseconds /*wait*/) {}
  static void yield() {}
};
static_assert(!StackfulModel<WithoutHooks>, "a model must declare its hooks");
static_assert(!DeclaresModelHooks<WithoutHooks>);

/// Hooks of another type (a stray `hooks` member) are not hooks.
struct HooksOfTheWrongType {
  static constexpr bool hooks = true;
};
static_assert(!DeclaresModelHooks<HooksOfTheWrongType>);

/// A model still built from a number of cores, as before ModelContext, satisfies neither concept.
struct BuiltFromCores : ModelWith<NoHooks> {
  explicit BuiltFromCores(int cores) : ModelWith(ModelContext::with_cores(cores)) {}
};
static_assert(!StackfulModel<BuiltFromCores>);

void checkpoint() {}
double tick_ns() { return 1.5; }
void release() {}

struct CheckpointWithoutTick {
  static constexpr ModelHooks value{.checkpoint = &checkpoint};
};
struct ReleaseWithoutRetake {
  static constexpr ModelHooks value{.before_blocking_call = &release};
};
struct Interpreted {
  static constexpr ModelHooks value{.checkpoint = &checkpoint, .tick_ns = &tick_ns};
};
static_assert(!StackfulModel<ModelWith<CheckpointWithoutTick>>, "a tick with no length to calibrate");
static_assert(!StackfulModel<ModelWith<ReleaseWithoutRetake>>, "a lock dropped and never taken back");
static_assert(StackfulModel<ModelWith<Interpreted>>);

// What each model declares, as the helpers read it.
static_assert(!runs_ticks<ModelWith<NoHooks>> && runs_ticks<ModelWith<Interpreted>>);
static_assert(runs_ticks<GilModel> && runs_ticks<GilLegacyModel>);
static_assert(!runs_ticks<ThreadModel> && !runs_ticks<TbbModel> && !runs_ticks<FiberModel>);
static_assert(!runs_ticks<CoroutineLoopModel> && !runs_ticks<CoroutinePoolModel>);
static_assert(!can_interleave<TbbModel>(3, 2) && can_interleave<TbbModel>(2, 2), "tbb: a thread per waiting task");
static_assert(can_interleave<ThreadModel>(3, 1) && can_interleave<GilModel>(3, 1));
static_assert(DeclaresModelHooks<BareModel>, "the pseudo-model too: the registry reads its params");

TEST(ModelHooks, TheDefaultsAreFreeForModelsThatLeaveThemOut) {
  tick<ModelWith<NoHooks>>();  // nothing to do
  int calls = 0;
  blocking_call<ModelWith<NoHooks>>([&] { ++calls; });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(global_lock_held<ThreadModel>(), std::nullopt);
}

TEST(ModelHooks, TheRegistryReadsEachModelsHooks) {
  EXPECT_TRUE(model_runs_ticks("gil"));
  EXPECT_TRUE(model_runs_ticks("gil-legacy"));
  EXPECT_FALSE(model_runs_ticks("thread"));
  EXPECT_FALSE(model_runs_ticks("coroutine"));
  EXPECT_FALSE(model_runs_ticks("bare"));
  EXPECT_EQ(model_param_names("gil"), std::vector<std::string>{"gil_interval_us"});
  EXPECT_EQ(model_param_names("gil-legacy"), std::vector<std::string>{"gil_check_interval"});
  EXPECT_EQ(model_param_names("bare"), std::vector<std::string>{"primitive"});
  EXPECT_TRUE(model_param_names("thread").empty());
  EXPECT_EQ(model_tick_ns("thread"), std::nullopt);
  EXPECT_TRUE(model_process_metrics("thread").empty());
}

}  // namespace
}  // namespace concbench
