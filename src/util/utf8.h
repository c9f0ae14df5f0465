#pragma once
// UTF-8 checks for text that comes from outside. Stored and rendered text must be valid
// UTF-8: nlohmann refuses to dump anything else, and PostgreSQL refuses to store it.
#include <string>
#include <string_view>

namespace leadline::util {

// Well-formed UTF-8 (no overlong forms, surrogates or code points beyond U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

}  // namespace leadline::util
