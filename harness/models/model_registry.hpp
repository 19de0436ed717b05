#pragma once
/// Every execution model, in display order. Adding a model: its header/source pair and one line here.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/model_context.hpp"
#include "harness/core/param_spec.hpp"
#include "harness/models/asio.hpp"
#include "harness/models/bare.hpp"
#include "harness/models/coroutine.hpp"
#include "harness/models/coroutine_pool.hpp"
#include "harness/models/external.hpp"
#include "harness/models/fiber.hpp"
#include "harness/models/fiber_ws.hpp"
#include "harness/models/gil.hpp"
#include "harness/models/gil_legacy.hpp"
#include "harness/models/model.hpp"
#include "harness/models/sequential.hpp"
#include "harness/models/tbb.hpp"
#include "harness/models/thread.hpp"

namespace concbench {

template <class... Models>
struct ModelList {};

/// Models that run the generic (stackful) workload bodies.
using StackfulModels =
    ModelList<SequentialModel, ThreadModel, FiberModel, FiberWsModel, TbbModel, GilModel, GilLegacyModel>;
/// Models whose tasks are C++20 coroutines: workloads bind them with `co_await` bodies.
using CoroutineModels = ModelList<CoroutineLoopModel, CoroutinePoolModel, AsioModel, AsioPoolModel>;
/// Models whose cells run in a peer program of another language (models/external.hpp, the peer protocol).
using ExternalModels = ModelList<PythonThreadsModel, PythonAsyncioModel, PythonGeneratorsModel, GoModel>;
/// References that are not execution models (`bare`): listed after the models, planned only for the
/// workloads that have a floor (WorkloadSpec::floors).
using PseudoModels = ModelList<BareModel>;

/// Descriptions of every model, stackful, coroutine, external, pseudo, in list order (sequential first: every speedup's
/// base).
const std::vector<ModelInfo>& all_models();
const ModelInfo* find_model(std::string_view id);

/// Which of a workload's bodies runs a model's cells (benchmarks/workload.hpp: Bindings): the models of
/// `StackfulModels` run its stackful body, those of `CoroutineModels` its coroutine body, and the pseudo-model
/// `bare` (`PseudoModels`) its floor's hand-written loop, and those of `ExternalModels` its external body (a peer).
enum class ModelKind { stackful, coroutine, external, bare };
/// The kind of the model whose id is `id`; std::nullopt for an unknown id.
std::optional<ModelKind> model_kind(std::string_view id);
bool is_stackful_model(std::string_view id);
bool is_coroutine_model(std::string_view id);
bool is_external_model(std::string_view id);
/// The C++ model an external model is checked against, cell by cell (the report's fidelity view): `gil` for
/// python-threads, `coroutine` for python-asyncio and python-generators; empty for the others.
std::string_view fidelity_partner(std::string_view id);

/// The parameters a model adds to its cells' keys (ModelHooks::params; none for most).
const std::vector<ParamSpec>& model_params(std::string_view id);
std::vector<std::string> model_param_names(std::string_view id);
/// Whether the model always runs on one thread, so the cores axis is 1 for it. (Which of bare's loops run on
/// one thread is said by the workload's floor: FloorSpec::one_thread.)
bool model_runs_on_one_thread(std::string_view id);
/// Whether the model's tasks run interpreted ticks (ModelHooks::checkpoint), so a run calibrates the tick
/// against the real interpreter first and hands it to the model in its context (Calibration::tick_ns).
bool model_runs_ticks(std::string_view id);
/// The tick the model alive in this process was built with (ModelHooks::tick_ns), for a model that runs ticks;
/// std::nullopt for the others.
std::optional<double> model_tick_ns(std::string_view id);
/// Figures a model keeps for the whole process (ModelHooks::process_metrics; empty for most models).
std::map<std::string, std::string> model_process_metrics(std::string_view id);

/// Calls `visit.template operator()<M>()` for the model M of `Models` whose id is `id` (the type only: the
/// caller builds the model); false when none of them has that id.
template <class... Models, class Visit>
bool visit_model(ModelList<Models...>, std::string_view id, Visit&& visit) {
  return ((Models::info.id == id ? (visit.template operator()<Models>(), true) : false) || ...);
}

}  // namespace concbench
