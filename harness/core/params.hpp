#pragma once
/// Workload parameters as they appear in a cell key: every input, canonical text `k=v;k=v`, keys sorted.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace concbench {

/// Ordered by key, so its canonical text is stable across runs and machines.
class Params {
 public:
  Params() = default;
  /// Parses `k=v;k=v` (the canonical text, or any order of it); throws std::invalid_argument.
  static Params parse(std::string_view text);

  void set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }
  bool has(const std::string& key) const { return values_.contains(key); }
  const std::string& get(const std::string& key) const;  // throws std::out_of_range naming the key
  std::int64_t get_int(const std::string& key) const;
  const std::map<std::string, std::string>& values() const { return values_; }
  bool empty() const { return values_.empty(); }

  std::string canonical() const;
  friend bool operator==(const Params&, const Params&) = default;

 private:
  std::map<std::string, std::string> values_;
};

/// Parses a whole decimal integer; throws std::invalid_argument with `what` in the message.
std::int64_t parse_int(std::string_view text, std::string_view what);

}  // namespace concbench
