#pragma once
// Opaque ids: a type prefix, '_', 6 characters of creation time and 8 random base62 characters
// ("wf_0Ab3kZ9xQ2mP7r"): hard to guess, and close together in an index when made close in time.
#include <string>
#include <string_view>
#include <vector>

namespace leadline::util {

std::string new_id(std::string_view prefix);
// `count` new ids from one random draw (one draw per id costs a syscall each), in sorted
// order: an index takes a batch of them in one sweep.
std::vector<std::string> new_ids(std::string_view prefix, size_t count);
// A random base62 string of the given length from a cryptographic source (for secrets).
std::string random_base62(size_t length);

}  // namespace leadline::util
