#include "workload.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace concbench {

const ParamSpec* WorkloadSpec::find_param(const std::string& param) const {
  for (const auto& spec : params) {
    if (spec.name == param) return &spec;
  }
  return nullptr;
}

}  // namespace concbench
