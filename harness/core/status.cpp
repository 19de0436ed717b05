#include "harness/core/status.hpp"

#include <array>
#include <utility>

namespace concbench {
namespace {

constexpr std::array<std::pair<Status, std::string_view>, 7> kWords{{
    {Status::ok, "ok"},
    {Status::failed, "failed"},
    {Status::unsupported, "unsupported"},
    {Status::deadlock, "deadlock"},
    {Status::timeout, "timeout"},
    {Status::crashed, "crashed"},
    {Status::interrupted, "interrupted"},
}};

}  // namespace

std::string_view to_string(Status status) {
  for (const auto& [value, word] : kWords) {
    if (value == status) return word;
  }
  return "?";
}

std::optional<Status> parse_status(std::string_view word) {
  for (const auto& [value, name] : kWords) {
    if (name == word) return value;
  }
  return std::nullopt;
}

}  // namespace concbench
