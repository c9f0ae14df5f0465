#pragma once
// Phone-number normalisation to E.164 and look-ups on normalised numbers, on Google's
// libphonenumber (Debian's 8.12 build). All functions are thread-safe: they share the
// library's process-wide PhoneNumberUtil, whose logging is silenced on first use.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::util {

// Exactly one of the two is set: e164 on success, error (a short reason meant for the
// API user, suitable for grouping failures) otherwise.
struct PhoneResult {
  std::optional<std::string> e164;
  std::string error;
};

// Normalises `raw` (surrounding whitespace ignored) to E.164, e.g. "+14155550100".
// National numbers such as "(415) 555-0100" are read in `default_region` (ISO 3166
// alpha-2, any case; empty means none). "00" followed by a country code is also read as
// an international prefix when the region's own prefix differs (a US workflow uploading
// "0044 20 7946 0958"). Numbers already in E.164 take a faster path.
// Errors: "phone_number is required", "not a phone number", "not a valid phone number
// for <REGION>" (a national number that fails in the default region) and "not a valid
// phone number" (an international one that fails).
PhoneResult normalize_phone(std::string_view raw, std::string_view default_region);

// The ISO region of an E.164 number ("US", "CA", "GB"), or nullopt when the number is
// unparseable or belongs to no single region (e.g. +800 international freephone).
std::optional<std::string> phone_region(std::string_view e164);

// An English description of where the number is, from libphonenumber's offline
// geocoder: a city or state for fixed lines ("San Francisco, CA", "California") or the
// country ("India"); "" when unknown or unparseable.
std::string phone_geodescription(std::string_view e164);

}  // namespace leadline::util
