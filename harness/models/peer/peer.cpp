#include "harness/models/peer/peer.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness/models/model.hpp"
#include "harness/models/peer/peer_process.hpp"

namespace concbench {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

/// What the peer of this process reported for the row (one peer per cell, one cell per process): its versions,
/// and the metrics of a deadlock it saw.
std::map<std::string, std::string>& metrics_of_this_process() {
  static std::map<std::string, std::string> versions;
  return versions;
}

/// Where peer programs are looked for: beside the concbench binary (the build tree, an installed bin/), then
/// the installed share directory.
std::vector<fs::path> peer_dirs() {
  std::error_code error;
  const auto binary = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  const auto bin = binary.parent_path();
  return {bin, bin.parent_path() / "share" / "concbench"};
}

bool executable(const fs::path& path) { return access(path.c_str(), X_OK) == 0 && !fs::is_directory(path); }

/// The command that starts the peer of `model`, or the reason it cannot be started (the cell's `unsupported`).
struct Command {
  std::vector<std::string> argv;
  std::string missing;
};

Command peer_command(const std::string& model, const ModelContext& context, const PeerProgram& program) {
  if (const auto given = context.peers.programs.find(model); given != context.peers.programs.end()) {
    if (!executable(given->second))
      return {{}, fmt::format("--peer {}={}: not an executable file", model, given->second)};
    return {{given->second}, {}};
  }
  fs::path found;
  for (const auto& dir : peer_dirs()) {
    const auto candidate = dir / program.file;
    if (fs::exists(candidate) && (program.interpreted || executable(candidate))) {
      found = candidate;
      break;
    }
  }
  const auto name = fs::path(program.file).filename().string();
  if (found.empty()) {
    return {{},
            program.advice.empty() ? fmt::format("{} not found", name)
                                   : fmt::format("{} not found ({})", name, program.advice)};
  }
  if (!program.interpreted) return {{found.string()}, {}};
  if (context.peers.python.empty()) {
    return {{}, "no Python interpreter: /usr/bin/python3 is missing and there is no python3 on PATH (--python PATH)"};
  }
  if (!executable(context.peers.python))
    return {{}, fmt::format("--python {}: not an executable file", context.peers.python)};
  return {{context.peers.python, found.string()}, {}};
}

/// Reads one answer: a JSON object whose `type` is a string. Throws PeerError for anything else.
Json read_answer(PeerProcess& process, const std::string& name, const std::string& awaited) {
  std::optional<std::string> line;
  try {
    line = process.read_line();
  } catch (const std::runtime_error& e) {
    throw PeerError(fmt::format("{}: {} while {}", name, e.what(), awaited), false);
  }
  if (!line) {
    throw PeerError(fmt::format("{} {} while {} (its stderr is the cell's log)", name, process.how_it_ended(), awaited),
                    true);
  }
  auto answer = Json::parse(*line, nullptr, /*allow_exceptions=*/false);
  const auto shown = line->size() > 200 ? line->substr(0, 200) + "..." : *line;
  if (answer.is_discarded() || !answer.is_object()) {
    throw PeerError(fmt::format("{}: not a JSON object while {}: {}", name, awaited, shown), false);
  }
  if (!answer.contains("type") || !answer["type"].is_string()) {
    throw PeerError(fmt::format("{}: an answer without a string `type` while {}: {}", name, awaited, shown), false);
  }
  return answer;
}

std::string string_field(const Json& answer, const char* field, const std::string& name) {
  if (!answer.contains(field) || !answer[field].is_string()) {
    throw PeerError(
        fmt::format("{}: `{}` answer without a string `{}`", name, answer["type"].get<std::string>(), field), false);
  }
  return answer[field].get<std::string>();
}

/// An object of strings (`versions`, `metrics`), each name a metric's: [a-z0-9_]+.
std::map<std::string, std::string> string_map(const Json& answer, const char* field, const std::string& name) {
  std::map<std::string, std::string> values;
  if (!answer.contains(field)) return values;
  const auto& object = answer[field];
  const auto bad = [&](const std::string& why) {
    return PeerError(fmt::format("{}: `{}` {}", name, field, why), false);
  };
  if (!object.is_object()) throw bad("is not an object");
  for (const auto& [key, value] : object.items()) {
    if (key.empty() || key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
      throw bad(fmt::format("has a name that is not [a-z0-9_]+: '{}'", key));
    }
    if (!value.is_string()) throw bad(fmt::format("'{}' is not a string", key));
    values[key] = value.get<std::string>();
  }
  return values;
}

/// An integer of a result as its decimal text, or empty when it is neither a decimal string nor an integer.
std::string integer_text(const Json& value) {
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_string()) return value.get<std::string>();
  return {};
}

PeerResult result_of(const Json& answer, const std::string& name) {
  if (!answer.contains("result") || !answer["result"].is_object()) {
    throw PeerError(fmt::format("{}: `result` answer without a `result` object", name), false);
  }
  std::map<std::string, PeerResult::Field> fields;
  for (const auto& [key, value] : answer["result"].items()) {
    PeerResult::Field field;
    field.list = value.is_array();
    for (const auto& item : field.list ? value : Json::array({value})) {
      const auto text = integer_text(item);
      if (text.empty())
        throw PeerError(fmt::format("{}: result field `{}` is not an integer: {}", name, key, value.dump()), false);
      field.values.push_back(text);
    }
    fields[key] = std::move(field);
  }
  return {name, std::move(fields)};
}

std::int64_t integer_field(const Json& answer, const char* field, std::int64_t min, const std::string& name) {
  if (!answer.contains(field) || !answer[field].is_number_integer() || answer[field].get<std::int64_t>() < min) {
    throw PeerError(fmt::format("{}: `result` answer without an integer `{}` of at least {}", name, field, min), false);
  }
  return answer[field].get<std::int64_t>();
}

}  // namespace

std::map<std::string, std::string> peer_versions() { return metrics_of_this_process(); }

const PeerResult::Field& PeerResult::find(const std::string& field, bool list) const {
  const auto found = fields_.find(field);
  if (found == fields_.end()) wrong(field, "is missing");
  if (found->second.list != list) wrong(field, list ? "is not a list" : "is a list");
  return found->second;
}

void PeerResult::wrong(const std::string& field, const std::string& why) const {
  throw PeerError(fmt::format("{}: result field `{}` {}", peer_, field, why), false);
}

template <class Int>
Int PeerResult::parse(const std::string& field, const std::string& text) const {
  Int value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    wrong(field,
          fmt::format("holds '{}', not a {}-bit {} integer", text, 64, std::is_signed_v<Int> ? "signed" : "unsigned"));
  }
  return value;
}

std::uint64_t PeerResult::u64(const std::string& field) const {
  return parse<std::uint64_t>(field, find(field, false).values.front());
}

std::int64_t PeerResult::i64(const std::string& field) const {
  return parse<std::int64_t>(field, find(field, false).values.front());
}

std::vector<std::int64_t> PeerResult::i64s(const std::string& field, std::size_t size) const {
  const auto& values = find(field, true).values;
  if (values.size() != size) wrong(field, fmt::format("has {} values, expected {}", values.size(), size));
  std::vector<std::int64_t> parsed;
  for (const auto& text : values) parsed.push_back(parse<std::int64_t>(field, text));
  return parsed;
}

Peer::Peer(std::unique_ptr<PeerProcess> process, std::string name)
    : process_(std::move(process)), name_(std::move(name)) {}

Peer::~Peer() = default;

PeerStart Peer::start(const CellKey& key, const ModelContext& context, const PeerProgram& program) {
  auto command = peer_command(key.model, context, program);
  if (!command.missing.empty()) return {nullptr, std::move(command.missing)};
  const auto name = "peer " + key.model;
  std::unique_ptr<Peer> peer(new Peer(std::make_unique<PeerProcess>(command.argv), name));
  Json params = Json::object();
  for (const auto& [param, value] : key.params.values()) params[param] = value;
  const Json cell = {{"type", "cell"},         {"protocol", 1},      {"model", key.model}, {"workload", key.workload},
                     {"variant", key.variant}, {"cores", key.cores}, {"tasks", key.tasks}, {"params", params}};
  const std::string awaited = "waiting for its answer to `cell`";
  if (!peer->process_->write_line(cell.dump())) {
    throw PeerError(fmt::format("{} {} before it read the cell", name, peer->process_->how_it_ended()), true);
  }
  const auto answer = read_answer(*peer->process_, name, awaited);
  const auto type = answer["type"].get<std::string>();
  if (type == "unsupported") return {nullptr, string_field(answer, "reason", name)};
  if (type == "error") throw PeerError(fmt::format("{}: {}", name, string_field(answer, "reason", name)), false);
  if (type != "ready") {
    throw PeerError(fmt::format("{}: answered `{}` to `cell` (expected ready, unsupported or error)", name, type),
                    false);
  }
  metrics_of_this_process() = string_map(answer, "versions", name);
  return {std::move(peer), {}};
}

PeerRun Peer::run() {
  const auto index = ++runs_;
  const auto awaited = fmt::format("waiting for run {}", index);
  if (!process_->write_line(Json({{"type", "run"}, {"run", index}}).dump())) {
    throw PeerError(fmt::format("{} {} before run {}", name_, process_->how_it_ended(), index), true);
  }
  const auto answer = read_answer(*process_, name_, awaited);
  const auto type = answer["type"].get<std::string>();
  if (type == "error") throw PeerError(fmt::format("{}: {}", name_, string_field(answer, "reason", name_)), false);
  if (type == "deadlock") {
    const auto reason = string_field(answer, "reason", name_);
    metrics_of_this_process().merge(string_map(answer, "metrics", name_));
    throw DeadlockError(reason);
  }
  if (type != "result") {
    throw PeerError(fmt::format("{}: answered `{}` to `run` (expected result, deadlock or error)", name_, type), false);
  }
  PeerRun run;
  run.elapsed_ns = integer_field(answer, "elapsed_ns", 0, name_);
  const auto workers = integer_field(answer, "workers", 1, name_);
  if (workers > std::numeric_limits<int>::max())
    throw PeerError(fmt::format("{}: `workers` {} is too large", name_, workers), false);
  run.workers = static_cast<int>(workers);
  if (answer.contains("mapping")) run.mapping = string_field(answer, "mapping", name_);
  run.result = result_of(answer, name_);
  last_run_s_ = static_cast<double>(run.elapsed_ns) * 1e-9;
  return run;
}

}  // namespace concbench
