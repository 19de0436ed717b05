#include "harness/core/param_spec.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "harness/core/params.hpp"

namespace concbench {

bool ParamSpec::applies_to(const std::string& variant) const {
  return variants.empty() || std::find(variants.begin(), variants.end(), variant) != variants.end();
}

void ParamSpec::validate(const std::string& value) const {
  if (!choices.empty()) {
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) return;
    throw std::invalid_argument(fmt::format("{} must be one of {}, got {}", name, fmt::join(choices, ", "), value));
  }
  const auto number = parse_int(value, name);
  if (number < min || number > max) {
    throw std::invalid_argument(fmt::format("{} must be between {} and {}, got {}", name, min, max, value));
  }
}

}  // namespace concbench
