#pragma once
// IANA time zones from the system tz database (date/tz).
#include <string_view>

namespace leadline::util {

// True when the name is a zone the system tz database knows ("Europe/Berlin", "UTC").
bool is_known_timezone(std::string_view name);

}  // namespace leadline::util
