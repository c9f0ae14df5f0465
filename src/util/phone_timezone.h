#pragma once
// The time zone of a phone number, for calling at lawful local hours. Debian's
// libphonenumber 8.12 has no time-zone mapper, so this combines the number's region with
// the tz database's zone list and, in regions with several zones, the area the offline
// geocoder names for the number (a US state, a Canadian province, an Australian city).
#include <optional>
#include <string>
#include <string_view>

namespace leadline::util {

// The IANA zone of an E.164 number, or nullopt when it cannot be told (unknown region,
// a mobile or toll-free number in a country with several zones, an area not mapped).
// Thread-safe; results are memoised.
std::optional<std::string> phone_timezone(std::string_view e164);

}  // namespace leadline::util
