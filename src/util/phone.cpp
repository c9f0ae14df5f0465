#include "util/phone.h"

#include <phonenumbers/geocoding/phonenumber_offline_geocoder.h>
#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <unicode/locid.h>
#include <algorithm>
#include <cctype>
#include <cstdint>

namespace leadline::util {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr std::string_view kUnknownRegion = "ZZ";

const PhoneNumberUtil& phone_util() {
  // The library otherwise writes a line to stderr for every unparseable upload row.
  static const PhoneNumberUtil* util = [] {
    auto* instance = PhoneNumberUtil::GetInstance();
    instance->SetLogger(new i18n::phonenumbers::NullLogger());  // takes ownership
    return instance;
  }();
  return *util;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ^\+[1-9][0-9]{7,14}$ : the shape of a number that is already E.164.
bool looks_like_e164(std::string_view s) {
  if (s.size() < 9 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  return std::all_of(s.begin() + 1, s.end(), is_digit);
}

// What the fast path needs per country calling code, looked up once: the library's
// lookups copy region lists and strings on every call.
struct CallingCode {
  std::string main_region;  // "" when the code is unassigned
  std::string ndd;          // national (trunk) prefix, e.g. "0"; "" when none
};

const std::vector<CallingCode>& calling_codes() {
  static const std::vector<CallingCode> codes = [] {
    const auto& util = phone_util();
    std::vector<CallingCode> out(1000);
    for (int code = 1; code < 1000; ++code) {
      std::string region;
      util.GetRegionCodeForCountryCode(code, &region);
      if (region == kUnknownRegion) continue;
      out[code].main_region = region;
      util.GetNddPrefixForRegion(region, true, &out[code].ndd);
    }
    return out;
  }();
  return codes;
}

// Builds the PhoneNumber for an E.164-shaped string without PhoneNumberUtil::Parse,
// which runs a dozen ICU regexes (~20 us) to undo formatting E.164 does not have.
// Also returns the calling code's entry.
std::optional<std::pair<PhoneNumber, const CallingCode*>> from_e164_digits(std::string_view s) {
  const auto digits = s.substr(1);
  // Country codes are prefix-free, so at most one length names a known code.
  for (size_t len = 1; len <= 3; ++len) {
    int code = 0;
    for (char c : digits.substr(0, len)) code = code * 10 + (c - '0');
    const auto& entry = calling_codes()[static_cast<size_t>(code)];
    if (entry.main_region.empty()) continue;
    const auto national = digits.substr(len);
    if (national.empty()) return std::nullopt;
    PhoneNumber number;
    number.set_country_code(code);
    uint64_t value = 0;
    for (char c : national) value = value * 10 + static_cast<uint64_t>(c - '0');
    number.set_national_number(value);
    // Mirrors Parse: leading zeros of the national number (Italy) are kept as flags.
    if (national.size() > 1 && national[0] == '0') {
      number.set_italian_leading_zero(true);
      int zeros = 1;
      while (static_cast<size_t>(zeros) < national.size() - 1 && national[zeros] == '0') ++zeros;
      if (zeros != 1) number.set_number_of_leading_zeros(zeros);
    }
    // Parse would strip a national prefix written after the code (+44 020...), so such
    // numbers are left to it.
    if (!entry.ndd.empty() && national.starts_with(entry.ndd)) return std::nullopt;
    return std::pair{std::move(number), &entry};
  }
  return std::nullopt;
}

// True when `number` is valid exactly as written. Checks the calling code's main region
// first (one metadata pass) before the full IsValidNumber, which first searches every
// region sharing the code and so costs twice as much for the common +1 case.
bool valid_as_written(const PhoneNumber& number, const CallingCode& code) {
  const auto& util = phone_util();
  return util.IsValidNumberForRegion(number, code.main_region) || util.IsValidNumber(number);
}

std::string upper_region(std::string_view region) {
  std::string out(trim(region));
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out.empty() ? std::string(kUnknownRegion) : out;
}

struct Parsed {
  PhoneNumberUtil::ErrorType error;
  PhoneNumber number;
  bool valid() const {
    return error == PhoneNumberUtil::NO_PARSING_ERROR && phone_util().IsValidNumber(number);
  }
};

Parsed parse_in(std::string_view text, const std::string& region) {
  Parsed out;
  out.error = phone_util().Parse(std::string(text), region, &out.number);
  return out;
}

std::optional<PhoneNumber> parse(std::string_view text, const std::string& region) {
  auto parsed = parse_in(text, region);
  if (parsed.error != PhoneNumberUtil::NO_PARSING_ERROR) return std::nullopt;
  return std::move(parsed.number);
}

// E.164 strings from our own store usually take the fast path; anything else is parsed.
std::optional<PhoneNumber> parse_e164(std::string_view e164) {
  const auto text = trim(e164);
  if (looks_like_e164(text)) {
    if (auto found = from_e164_digits(text)) return std::move(found->first);
  }
  return parse(text, std::string(kUnknownRegion));
}

PhoneResult ok(const PhoneNumber& number) {
  std::string out;
  phone_util().Format(number, PhoneNumberUtil::E164, &out);
  return {std::move(out), {}};
}

}  // namespace

PhoneResult normalize_phone(std::string_view raw, std::string_view default_region) {
  const auto text = trim(raw);
  if (text.empty()) return {std::nullopt, "phone_number is required"};
  if (looks_like_e164(text)) {
    const auto found = from_e164_digits(text);
    if (found && valid_as_written(found->first, *found->second)) return {std::string(text), {}};
  }

  const auto region = upper_region(default_region);
  const auto parsed = parse_in(text, region);
  if (parsed.valid()) return ok(parsed.number);

  // "00" is the international prefix in most of the world but not in every region
  // (the US uses 011), so give it a second chance as "+".
  if (text.starts_with("00")) {
    const auto international = parse_in("+" + std::string(text.substr(2)), region);
    if (international.valid()) return ok(international.number);
  }

  // A country code that exists (or a default region) made it a number, just not a
  // valid one; anything else never looked like a number.
  const bool numeric = parsed.error == PhoneNumberUtil::NO_PARSING_ERROR ||
                       parsed.error == PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR;
  if (!numeric) return {std::nullopt, "not a phone number"};
  if (!text.starts_with('+') && region != kUnknownRegion) {
    return {std::nullopt, "not a valid phone number for " + region};
  }
  return {std::nullopt, "not a valid phone number"};
}

std::optional<std::string> phone_region(std::string_view e164) {
  const auto number = parse_e164(e164);
  if (!number) return std::nullopt;
  std::string region;
  phone_util().GetRegionCodeForNumber(*number, &region);
  // "001" marks non-geographic codes such as +800.
  if (region == kUnknownRegion || region == "001") return std::nullopt;
  return region;
}

std::string phone_geodescription(std::string_view e164) {
  // Loads its prefix tables lazily under its own mutex, so one shared instance is safe.
  static const i18n::phonenumbers::PhoneNumberOfflineGeocoder geocoder;
  static const icu::Locale english("en");
  const auto number = parse_e164(e164);
  if (!number) return {};
  return geocoder.GetDescriptionForNumber(*number, english);
}

}  // namespace leadline::util
