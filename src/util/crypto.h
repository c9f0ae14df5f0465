#pragma once
// Hashing helpers on OpenSSL: SHA-256 and HMAC-SHA256 as lowercase hex, constant-time compare.
#include <string>
#include <string_view>

namespace leadline::util {

std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Compares without an early exit so timing does not reveal the common prefix.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace leadline::util
