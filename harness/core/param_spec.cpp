#include "core/param_spec.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "core/params.hpp"

namespace concbench {

bool ParamSpec::applies_to(const std::string& variant) const {
  return variants.empty() || std::find(variants.begin(), variants.end(), variant) != variants.end();
}

void ParamSpec::validate(const std::string& value) const {
  const auto number = parse_int(value, name);
  if (number < min || number > max) {
    throw std::invalid_argument(fmt::format("{} must be between {} and {}, got {}", name, min, max, value));
  }
}

}  // namespace concbench
