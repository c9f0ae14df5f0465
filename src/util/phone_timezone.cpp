#include "util/phone_timezone.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "util/phone.h"
#include "util/timezone.h"

namespace leadline::util {
namespace {

using AreaZones = std::unordered_map<std::string_view, std::string_view>;

// US states and territories by postal code and name: the zone of most of the state.
// States split between zones (e.g. western Florida, eastern Oregon) take the majority's.
const AreaZones& us_areas() {
  static const AreaZones table = [] {
    struct State {
      std::string_view code, name, zone;
    };
    const State states[] = {
        {"AL", "Alabama", "America/Chicago"},
        {"AK", "Alaska", "America/Anchorage"},
        {"AZ", "Arizona", "America/Phoenix"},
        {"AR", "Arkansas", "America/Chicago"},
        {"CA", "California", "America/Los_Angeles"},
        {"CO", "Colorado", "America/Denver"},
        {"CT", "Connecticut", "America/New_York"},
        {"DE", "Delaware", "America/New_York"},
        {"DC", "Washington D.C.", "America/New_York"},
        {"FL", "Florida", "America/New_York"},
        {"GA", "Georgia", "America/New_York"},
        {"HI", "Hawaii", "Pacific/Honolulu"},
        {"ID", "Idaho", "America/Boise"},
        {"IL", "Illinois", "America/Chicago"},
        {"IN", "Indiana", "America/Indiana/Indianapolis"},
        {"IA", "Iowa", "America/Chicago"},
        {"KS", "Kansas", "America/Chicago"},
        {"KY", "Kentucky", "America/New_York"},
        {"LA", "Louisiana", "America/Chicago"},
        {"ME", "Maine", "America/New_York"},
        {"MD", "Maryland", "America/New_York"},
        {"MA", "Massachusetts", "America/New_York"},
        {"MI", "Michigan", "America/Detroit"},
        {"MN", "Minnesota", "America/Chicago"},
        {"MS", "Mississippi", "America/Chicago"},
        {"MO", "Missouri", "America/Chicago"},
        {"MT", "Montana", "America/Denver"},
        {"NE", "Nebraska", "America/Chicago"},
        {"NV", "Nevada", "America/Los_Angeles"},
        {"NH", "New Hampshire", "America/New_York"},
        {"NJ", "New Jersey", "America/New_York"},
        {"NM", "New Mexico", "America/Denver"},
        {"NY", "New York", "America/New_York"},
        {"NC", "North Carolina", "America/New_York"},
        {"ND", "North Dakota", "America/Chicago"},
        {"OH", "Ohio", "America/New_York"},
        {"OK", "Oklahoma", "America/Chicago"},
        {"OR", "Oregon", "America/Los_Angeles"},
        {"PA", "Pennsylvania", "America/New_York"},
        {"RI", "Rhode Island", "America/New_York"},
        {"SC", "South Carolina", "America/New_York"},
        {"SD", "South Dakota", "America/Chicago"},
        {"TN", "Tennessee", "America/Chicago"},
        {"TX", "Texas", "America/Chicago"},
        {"UT", "Utah", "America/Denver"},
        {"VT", "Vermont", "America/New_York"},
        {"VA", "Virginia", "America/New_York"},
        {"WA", "Washington", "America/Los_Angeles"},
        {"WV", "West Virginia", "America/New_York"},
        {"WI", "Wisconsin", "America/Chicago"},
        {"WY", "Wyoming", "America/Denver"},
    };
    AreaZones out;
    for (const auto& state : states) {
      out.emplace(state.code, state.zone);
      out.emplace(state.name, state.zone);
    }
    return out;
  }();
  return table;
}

const AreaZones& canada_areas() {
  static const AreaZones table = {
      {"BC", "America/Vancouver"},
      {"British Columbia", "America/Vancouver"},
      {"AB", "America/Edmonton"},
      {"Alberta", "America/Edmonton"},
      {"SK", "America/Regina"},
      {"Saskatchewan", "America/Regina"},
      {"MB", "America/Winnipeg"},
      {"Manitoba", "America/Winnipeg"},
      {"ON", "America/Toronto"},
      {"Ontario", "America/Toronto"},
      {"QC", "America/Toronto"},
      {"Quebec", "America/Toronto"},
      {"Québec", "America/Toronto"},
      {"NB", "America/Moncton"},
      {"New Brunswick", "America/Moncton"},
      {"NS", "America/Halifax"},
      {"Nova Scotia", "America/Halifax"},
      {"PE", "America/Halifax"},
      {"Prince Edward Island", "America/Halifax"},
      {"NL", "America/St_Johns"},
      {"Newfoundland and Labrador", "America/St_Johns"},
      {"Newfoundland", "America/St_Johns"},
      {"YT", "America/Whitehorse"},
      {"Yukon", "America/Whitehorse"},
      {"Yukon Territory", "America/Whitehorse"},
      {"NT", "America/Edmonton"},
      {"Northwest Territories", "America/Edmonton"},
      {"NU", "America/Iqaluit"},
      {"Nunavut", "America/Iqaluit"},
  };
  return table;
}

// Australian geographic numbers by national prefix: 2 NSW/ACT, 3 VIC/TAS, 7 QLD,
// 8 SA/NT/WA. Longest prefix wins.
std::optional<std::string> australian_zone(std::string_view national) {
  static const std::pair<std::string_view, std::string_view> prefixes[] = {
      {"889", "Australia/Darwin"}, {"89", "Australia/Perth"},    {"88", "Australia/Adelaide"},
      {"2", "Australia/Sydney"},   {"3", "Australia/Melbourne"}, {"7", "Australia/Brisbane"},
  };
  for (const auto& [prefix, zone] : prefixes)
    if (national.starts_with(prefix)) return std::string(zone);
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// "San Francisco, CA" → looks up "CA" then "San Francisco"; "California" → itself.
std::optional<std::string> zone_of_area(const AreaZones& areas, std::string_view description) {
  std::vector<std::string_view> parts;
  size_t comma = description.rfind(',');
  if (comma != std::string_view::npos) parts.push_back(trim(description.substr(comma + 1)));
  parts.push_back(trim(description.substr(0, comma)));
  for (auto part : parts)
    if (auto it = areas.find(part); it != areas.end()) return std::string(it->second);
  return std::nullopt;
}

// "Mexico City" names America/Mexico_City: the geocoder's city against the zones' own.
std::optional<std::string> zone_named_after_city(const std::vector<std::string>& zones,
                                                 std::string_view description) {
  std::string city(trim(description.substr(0, description.find(','))));
  std::replace(city.begin(), city.end(), ' ', '_');
  for (const auto& zone : zones) {
    const auto slash = zone.rfind('/');
    if (slash != std::string::npos && zone.compare(slash + 1, std::string::npos, city) == 0)
      return zone;
  }
  return std::nullopt;
}

std::optional<std::string> resolve(std::string_view e164) {
  const auto region = phone_region(e164);
  if (!region) return std::nullopt;
  const auto& zones = zones_of_region(*region);
  if (zones.size() == 1) return zones.front();
  if (zones.empty()) return std::nullopt;
  if (*region == "AU" && e164.starts_with("+61")) {
    if (auto zone = australian_zone(e164.substr(3))) return zone;
  }
  const std::string description = phone_geodescription(e164);
  if (description.empty()) return std::nullopt;
  if (*region == "US") return zone_of_area(us_areas(), description);
  if (*region == "CA") return zone_of_area(canada_areas(), description);
  return zone_named_after_city(zones, description);
}

}  // namespace

std::optional<std::string> phone_timezone(std::string_view e164) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::optional<std::string>> memo;
  constexpr size_t kMaxMemo = 100'000;
  {
    std::lock_guard lock(mutex);
    if (auto it = memo.find(std::string(e164)); it != memo.end()) return it->second;
  }
  auto zone = resolve(e164);
  std::lock_guard lock(mutex);
  if (memo.size() >= kMaxMemo) memo.clear();
  memo.emplace(std::string(e164), zone);
  return zone;
}

}  // namespace leadline::util
