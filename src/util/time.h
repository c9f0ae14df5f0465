#pragma once
// Time as integer milliseconds since the Unix epoch (UTC), and its ISO 8601 rendering.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadline::util {

using Millis = std::int64_t;

// "2024-03-01T09:00:00.000Z".
std::string format_iso(Millis ms);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|+hh:mm)"; nullopt when malformed.
std::optional<Millis> parse_iso(std::string_view text);
// Wall-clock now.
Millis system_now();

}  // namespace leadline::util
