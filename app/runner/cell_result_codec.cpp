#include "app/runner/cell_result_codec.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace concbench {
namespace {

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::optional<double> read_optional(const nlohmann::json& doc, const char* key) {
  if (!doc.contains(key) || doc[key].is_null()) return std::nullopt;
  return doc[key].get<double>();
}

}  // namespace

std::string encode(const CellResult& result) {
  nlohmann::json repetitions = nlohmann::json::array();
  for (const auto& r : result.repetitions) {
    repetitions.push_back({{"iterations", r.iterations},
                           {"real_time_s", r.real_time_s},
                           {"cpu_time_s", r.cpu_time_s},
                           {"items_per_s", r.items_per_s}});
  }
  const nlohmann::json doc = {{"status", std::string(to_string(result.status))},
                              {"reason", result.reason},
                              {"verified", result.verified},
                              {"items", result.items},
                              {"workers", result.workers},
                              {"metrics", result.metrics},
                              {"latency_p50_us", optional_number(result.latency_p50_us)},
                              {"latency_p99_us", optional_number(result.latency_p99_us)},
                              {"fairness", optional_number(result.fairness)},
                              {"repetitions", repetitions},
                              {"gbench_library_build_type", result.gbench_library_build_type}};
  return doc.dump();
}

CellResult decode_cell_result(const std::string& text) {
  try {
    const auto doc = nlohmann::json::parse(text);
    CellResult result;
    const auto status = parse_status(doc.at("status").get<std::string>());
    if (!status) throw std::runtime_error("unknown status " + doc.at("status").dump());
    result.status = *status;
    result.reason = doc.at("reason").get<std::string>();
    result.verified = doc.at("verified").get<bool>();
    result.items = doc.at("items").get<std::int64_t>();
    result.workers = doc.at("workers").get<int>();
    result.metrics = doc.at("metrics").get<std::map<std::string, std::string>>();
    result.latency_p50_us = read_optional(doc, "latency_p50_us");
    result.latency_p99_us = read_optional(doc, "latency_p99_us");
    result.fairness = read_optional(doc, "fairness");
    for (const auto& r : doc.at("repetitions")) {
      result.repetitions.push_back({r.at("iterations").get<std::int64_t>(), r.at("real_time_s").get<double>(),
                                    r.at("cpu_time_s").get<double>(), r.at("items_per_s").get<double>()});
    }
    result.gbench_library_build_type = doc.at("gbench_library_build_type").get<std::string>();
    return result;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("incomplete result from the cell: ") + e.what());
  }
}

}  // namespace concbench
