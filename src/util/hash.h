#pragma once
// A hash that is stable across builds, processes and platforms (std::hash is not), for values
// that must agree between processes or runs: split variant points, lock keys.
#include <cstdint>
#include <string_view>

namespace leadline::util {

// FNV-1a, 64 bits, over `a`, ":" and `b`, finished with MurmurHash3's fmix64 (FNV's low bits
// alone spread poorly under a modulo).
inline std::uint64_t stable_hash(std::string_view a, std::string_view b) {
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::string_view text) {
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(a);
  mix(":");
  mix(b);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace leadline::util
