#include "app/runner/plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "benchmarks/workload_registry.hpp"
#include "harness/models/model_registry.hpp"

namespace concbench {
namespace {

struct Selection {
  const WorkloadSpec* workload;
  std::vector<std::string> variants;
};

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (;;) {
    const auto at = text.find(separator);
    parts.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::vector<std::string> visible_workload_names() {
  std::vector<std::string> names;
  for (const auto& w : all_workloads()) {
    if (!w.hidden) names.push_back(w.name);
  }
  return names;
}

std::vector<Selection> select_workloads(const std::vector<std::string>& requested) {
  std::vector<Selection> selections;
  const auto names = requested.empty() ? visible_workload_names() : requested;
  for (const auto& name : names) {
    const auto parts = split(name, '/');
    const auto* workload = find_workload(parts[0]);
    if (workload == nullptr || parts.size() > 2) {
      throw UsageError(
          fmt::format("unknown workload '{}' (known: {})", name, fmt::join(visible_workload_names(), ", ")));
    }
    auto selection =
        std::find_if(selections.begin(), selections.end(), [&](const Selection& s) { return s.workload == workload; });
    if (selection == selections.end()) selection = selections.insert(selections.end(), {workload, {}});
    const auto& variants = workload->variants;
    if (parts.size() == 2 && std::find(variants.begin(), variants.end(), parts[1]) == variants.end()) {
      throw UsageError(fmt::format("unknown variant '{}' of workload {} (known: {})", parts[1], workload->name,
                                   fmt::join(variants, ", ")));
    }
    for (const auto& variant : variants) {
      const bool wanted = parts.size() == 1 || parts[1] == variant;
      if (wanted &&
          std::find(selection->variants.begin(), selection->variants.end(), variant) == selection->variants.end()) {
        selection->variants.push_back(variant);
      }
    }
  }
  return selections;
}

std::vector<const ModelInfo*> select_models(const std::vector<std::string>& requested) {
  std::vector<std::string> known;
  for (const auto& model : all_models()) known.emplace_back(model.id);
  for (const auto& id : requested) {
    if (find_model(id) == nullptr) {
      throw UsageError(fmt::format("unknown model '{}' (known: {})", id, fmt::join(known, ", ")));
    }
  }
  // Registry order, whatever the order asked for, but sequential first and the pseudo-models (bare) next:
  // sequential must run before the cells it is the base of, and each floor before the model cells compared
  // with it, so the runner has both when it writes a model's row.
  std::vector<const ModelInfo*> models;
  for (const auto& model : all_models()) {
    if (requested.empty() || std::find(requested.begin(), requested.end(), model.id) != requested.end()) {
      models.push_back(&model);
    }
  }
  const auto rank = [](const ModelInfo* model) { return model->id == "sequential" ? 0 : model->pseudo ? 1 : 2; };
  std::stable_sort(models.begin(), models.end(), [&](auto* a, auto* b) { return rank(a) < rank(b); });
  return models;
}

std::vector<int> select_cores(const std::vector<int>& requested, int cpus) {
  if (requested.empty()) return default_cores(cpus);
  std::set<int> cores;
  for (int n : requested) {
    if (n <= 0 || n > cpus) {
      throw UsageError(fmt::format("cores must be between 1 and {} (the CPUs this process may use), got {}", cpus, n));
    }
    cores.insert(n);
  }
  return {cores.begin(), cores.end()};
}

/// `taker`: who takes the parameter (a workload variant or a model), named in the error.
void validate_values(const ParamSpec& spec, const std::vector<std::string>& values, const std::string& taker) {
  for (const auto& value : values) {
    try {
      spec.validate(value);
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("--set {}: {}: {}", spec.name, taker, e.what()));
    }
  }
}

/// The primitives of the floors of the selected variants, in plan order (`primitive`, bare's parameter).
std::vector<std::string> floor_primitives(const std::vector<Selection>& selections) {
  std::vector<std::string> all;
  for (const auto& [workload, variants] : selections) {
    for (const auto& variant : variants) {
      const auto* floor = workload->floor_of(variant);
      for (const auto& primitive : floor != nullptr ? floor->primitives() : std::vector<std::string>{}) {
        if (std::find(all.begin(), all.end(), primitive) == all.end()) all.push_back(primitive);
      }
    }
  }
  return all;
}

/// `--set primitive=...` (with a pseudo-model selected): each value must be the primitive of some selected floor.
bool check_primitive_set(const std::string& name, const std::vector<std::string>& values,
                         const std::vector<Selection>& selections) {
  const auto primitives = floor_primitives(selections);
  if (name != "primitive" || primitives.empty()) return false;
  for (const auto& value : values) {
    if (std::find(primitives.begin(), primitives.end(), value) == primitives.end()) {
      throw UsageError(fmt::format("--set primitive: model bare: the selected floors' primitives are {}, got {}",
                                   fmt::join(primitives, ", "), value));
    }
  }
  return true;
}

/// Every --set must name a parameter some selected workload variant or model takes, with values it accepts.
void check_sets(const std::vector<ParamSweep>& sets, const std::vector<Selection>& selections,
                const std::vector<const ModelInfo*>& models) {
  const bool pseudo = std::any_of(models.begin(), models.end(), [](const ModelInfo* m) { return m->pseudo; });
  std::set<std::string> seen;
  for (const auto& [name, values] : sets) {
    if (!seen.insert(name).second) throw UsageError(fmt::format("--set {} given twice", name));
    bool known = pseudo && check_primitive_set(name, values, selections);
    for (const auto& [workload, variants] : selections) {
      for (const auto& spec : workload->params) {
        for (const auto& variant : variants) {
          if (spec.name != name || !spec.applies_to(variant)) continue;
          known = true;
          validate_values(spec, values, workload->name + "/" + variant);
        }
      }
    }
    for (const auto* model : models) {
      if (model->pseudo) continue;  // its parameter, `primitive`, comes from the floors (above)
      for (const auto& spec : model_params(model->id)) {
        if (spec.name != name) continue;
        known = true;
        validate_values(spec, values, "model " + std::string(model->id));
      }
    }
    if (!known) throw UsageError(fmt::format("unknown parameter '{}' for the selected workloads and models", name));
  }
}

/// Every combination of the parameter sweeps that apply to `variant`, in parameter order (the first
/// varies slowest), each combination added to a copy of `base`.
std::vector<Params> combinations(const std::vector<ParamSpec>& specs, const std::string& variant,
                                 const std::vector<ParamSweep>& sets, bool quick, const Params& base = {}) {
  std::vector<Params> combos{base};
  for (const auto& spec : specs) {
    if (!spec.applies_to(variant)) continue;
    const auto set = std::find_if(sets.begin(), sets.end(), [&](const ParamSweep& s) { return s.first == spec.name; });
    const auto& values = set != sets.end()                       ? set->second
                         : quick && !spec.quick_defaults.empty() ? spec.quick_defaults
                                                                 : spec.defaults;
    std::vector<Params> next;
    for (const auto& combo : combos) {
      for (const auto& value : values) {
        auto extended = combo;
        extended.set(spec.name, value);
        next.push_back(std::move(extended));
      }
    }
    combos = std::move(next);
  }
  return combos;
}

/// The bare cells of one group of `key` (workload, variant, tasks, params), for its floor: one per primitive
/// (those `--set primitive` picks) and core count, at one core for a loop that runs on one thread; one per
/// core count without a primitive for a floor whose families have none (besides its models' own, if any).
void plan_floor(const FloorSpec& floor, CellKey key, const std::vector<int>& cores, const std::vector<ParamSweep>& sets,
                std::vector<CellKey>& plan) {
  const auto set = std::find_if(sets.begin(), sets.end(), [](const ParamSweep& s) { return s.first == "primitive"; });
  const auto push = [&](bool one_thread) {
    for (int n : one_thread ? std::vector<int>{1} : cores) {
      key.cores = n;
      plan.push_back(key);
    }
  };
  if (floor.primitive_of_family.empty()) push(false);
  for (const auto& primitive : floor.primitives()) {
    if (set != sets.end() && std::find(set->second.begin(), set->second.end(), primitive) == set->second.end()) {
      continue;
    }
    key.params.set("primitive", primitive);
    push(floor.runs_on_one_thread(primitive));
  }
}

/// The cells of `models` for one variant of `workload`, over its parameter sweeps (`quick`: the quick ones).
void plan_group(const WorkloadSpec& spec, const std::string& variant, const std::vector<const ModelInfo*>& models,
                const std::vector<int>& cores, const std::vector<ParamSweep>& sets, bool quick,
                std::vector<CellKey>& plan) {
  const auto* workload = &spec;
  for (auto params : combinations(workload->params, variant, sets, quick)) {
    CellKey key{workload->name, variant, "", 1, 1, {}};
    key.tasks = static_cast<int>(params.get_int("tasks"));
    for (const auto& [name, value] : params.values()) {
      if (name != "tasks") key.params.set(name, value);
    }
    if (workload->check) {
      if (auto broken = workload->check(key); !broken.empty()) {
        throw UsageError(fmt::format("{}/{}: {}", workload->name, variant, broken));
      }
    }
    const auto workload_params = key.params;
    for (const auto* model : models) {
      key.model = std::string(model->id);
      if (model->pseudo) {
        // No row at all where there is no floor: it has nothing to measure there.
        if (const auto* floor = workload->floor_of(variant)) {
          key.params = workload_params;
          plan_floor(*floor, key, cores, sets, plan);
        }
        continue;
      }
      // The model's own parameters (e.g. the global lock's switch interval) join the key.
      for (auto with_model : combinations(model_params(model->id), variant, sets, quick, workload_params)) {
        key.params = std::move(with_model);
        for (int n : model_runs_on_one_thread(model->id) ? std::vector<int>{1} : cores) {
          key.cores = n;
          plan.push_back(key);
        }
      }
    }
  }
}

}  // namespace

std::vector<int> default_cores(int cpus) {
  std::vector<int> cores;
  for (int n = 1; n < cpus; n *= 2) cores.push_back(n);
  cores.push_back(cpus);
  return cores;
}

ParamSweep parse_set(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == text.size()) {
    throw UsageError(fmt::format("--set expects K=V1,V2,..., got '{}'", text));
  }
  ParamSweep sweep{std::string(text.substr(0, eq)), split(text.substr(eq + 1), ',')};
  for (const auto& value : sweep.second) {
    if (value.empty() || value.find_first_of(";=") != std::string::npos) {
      throw UsageError(fmt::format("--set {}: bad value '{}' in '{}'", sweep.first, value, text));
    }
  }
  return sweep;
}

std::vector<CellKey> build_plan(const PlanRequest& request) {
  const auto selections = select_workloads(request.workloads);
  const auto models = select_models(request.models);
  const auto cores = select_cores(request.cores, request.cpus);
  check_sets(request.sets, selections, models);

  // The external models' peers (python-* above all) are interpreters far slower than the C++ models: they
  // run the workloads' quick sweeps always, so a default plan stays within its time (docs/models.md).
  std::vector<const ModelInfo*> native_models, external_models, partners;
  for (const auto* model : models) {
    (is_external_model(model->id) && !request.quick ? external_models : native_models).push_back(model);
  }
  // The report's fidelity view sets `gil` beside python-threads and `coroutine` beside python-asyncio and
  // python-generators, cell by cell: a selected partner runs the peers' quick sweeps too (docs/reports.md).
  for (const auto* model : native_models) {
    const bool beside_a_peer = std::any_of(external_models.begin(), external_models.end(), [&](const ModelInfo* peer) {
      return fidelity_partner(peer->id) == model->id;
    });
    if (beside_a_peer) partners.push_back(model);
  }
  std::vector<CellKey> plan;
  for (const auto& [workload, variants] : selections) {
    for (const auto& variant : variants) {
      const auto native_end = plan.size();
      for (const auto& [group, quick] : {std::pair{&native_models, request.quick}, std::pair{&external_models, true}}) {
        if (group->empty()) continue;
        plan_group(*workload, variant, *group, cores, request.sets, quick, plan);
      }
      if (partners.empty()) continue;
      std::vector<CellKey> beside;
      plan_group(*workload, variant, partners, cores, request.sets, true, beside);
      for (auto& key : beside) {  // a quick key that is also a default key is planned once
        if (std::find(plan.begin() + static_cast<std::ptrdiff_t>(native_end), plan.end(), key) == plan.end()) {
          plan.push_back(std::move(key));
        }
      }
    }
  }
  if (plan.empty()) {
    const bool only_pseudo = std::all_of(models.begin(), models.end(), [](const ModelInfo* m) { return m->pseudo; });
    if (only_pseudo) {
      std::vector<std::string> binding;  // a workload's name, or its variants when only some have a floor
      for (const auto& w : all_workloads()) {
        std::vector<std::string> with_floor;
        for (const auto& variant : w.variants) {
          if (w.floor_of(variant) != nullptr) with_floor.push_back(w.name + "/" + variant);
        }
        if (w.hidden || with_floor.empty()) continue;
        if (with_floor.size() == w.variants.size()) with_floor = {w.name};
        binding.insert(binding.end(), with_floor.begin(), with_floor.end());
      }
      throw UsageError(fmt::format("the plan is empty: the selected models have cells only in workloads {}",
                                   fmt::join(binding, ", ")));
    }
    throw UsageError("the plan is empty");
  }
  return plan;
}

}  // namespace concbench
