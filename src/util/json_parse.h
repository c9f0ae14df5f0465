#pragma once
// Parsing JSON that comes from outside (request bodies, answers of providers, webhook
// receivers and http.request targets) within limits. Nesting depth is bounded because
// copying, dumping and comparing a Json recurses (200,000 nested "[" overflowed the stack);
// members per object are bounded because ordered_json finds keys by linear search, so one
// object with n keys costs n^2/2 comparisons to build.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.h"

namespace leadline::util {

struct JsonLimits {
  int max_depth = 64;                     // arrays and objects nested inside each other
  std::size_t max_object_members = 1000;  // members of any one object
};

inline constexpr JsonLimits kDefaultJsonLimits{};

// The parsed value, or nullopt with `problem` (when given) saying what was wrong: a limit
// exceeded (named with its value) or malformed JSON.
std::optional<Json> parse_json(std::string_view text, const JsonLimits& limits = kDefaultJsonLimits,
                               std::string* problem = nullptr);

// Where a peer's answer may be kept either way: the parsed value when it is JSON within the
// limits, else the text itself as a JSON string (invalid UTF-8 replaced by U+FFFD).
Json parse_json_or_text(std::string_view text, const JsonLimits& limits = kDefaultJsonLimits);

}  // namespace leadline::util
