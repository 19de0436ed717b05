#pragma once
/// splitmix64 (Steele, Lea, Flood 2014), the one mixing function of every workload: parallel's CPU chain,
/// prodcons' item hash, the philosophers' seeded jitter.

#include <cstdint>

namespace concbench {

inline constexpr std::uint64_t kSplitmixGamma = 0x9e3779b97f4a7c15ULL;

/// splitmix64's finaliser: every output bit depends on every input bit.
constexpr std::uint64_t splitmix_finalise(std::uint64_t x) noexcept {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// The generator: advances `state` and returns the next value of its sequence.
constexpr std::uint64_t splitmix_next(std::uint64_t& state) noexcept {
  return splitmix_finalise(state += kSplitmixGamma);
}

}  // namespace concbench
