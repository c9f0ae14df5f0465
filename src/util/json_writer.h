#pragma once
// Writing JSON text straight into a string, for answers too large to build as a Json tree
// first (a bulk answer of 10,000 events: the tree cost more than the text).
#include <string>
#include <string_view>

#include "util/json.h"

namespace leadline::util {

// Appends `text` as a JSON string literal, as Json::dump writes it: quotes, backslashes and
// control characters escaped, other bytes as they are, invalid UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

// Appends `value` as compact JSON text (invalid UTF-8 in its strings replaced by U+FFFD).
void append_json(std::string& out, const Json& value);

}  // namespace leadline::util
