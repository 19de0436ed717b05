#include "harness/core/params.hpp"

#include <charconv>
#include <stdexcept>

#include <fmt/format.h>

namespace concbench {

std::int64_t parse_int(std::string_view text, std::string_view what) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    throw std::invalid_argument(fmt::format("{} must be an integer, got '{}'", what, text));
  }
  return value;
}

Params Params::parse(std::string_view text) {
  Params params;
  while (!text.empty()) {
    const auto end = text.find(';');
    const auto pair = text.substr(0, end);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      throw std::invalid_argument(fmt::format("malformed parameter '{}' (expected k=v)", pair));
    }
    params.set(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  return params;
}

const std::string& Params::get(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) throw std::out_of_range(fmt::format("parameter '{}' is not set", key));
  return it->second;
}

std::int64_t Params::get_int(const std::string& key) const { return parse_int(get(key), key); }

std::string Params::canonical() const {
  std::string text;
  for (const auto& [key, value] : values_) {
    if (!text.empty()) text += ';';
    text += key;
    text += '=';
    text += value;
  }
  return text;
}

}  // namespace concbench
