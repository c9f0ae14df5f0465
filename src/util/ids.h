#pragma once
// Opaque ids: a type prefix, '_', and 14 random base62 characters ("wf_3kZ9...").
#include <string>
#include <string_view>

namespace leadline::util {

std::string new_id(std::string_view prefix);
// A random base62 string of the given length from a cryptographic source (for secrets).
std::string random_base62(size_t length);

}  // namespace leadline::util
