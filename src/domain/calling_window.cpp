#include "domain/calling_window.h"

#include <string_view>
#include <utility>

#include "domain/text.h"

namespace leadline::domain {
namespace {

constexpr std::array<std::string_view, 7> kDayNames{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> kFullDayNames{
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

bool all_digits(std::string_view s, std::initializer_list<size_t> positions) {
  for (size_t i : positions) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int two_digits(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// Minutes since midnight for "HH:MM", or -1.
int minute_of_day(const Json& value) {
  if (!value.is_string()) return -1;
  std::string_view s = value.get_ref<const std::string&>();
  if (s.size() != 5 || s[2] != ':' || !all_digits(s, {0, 1, 3, 4})) return -1;
  int hours = two_digits(s, 0);
  int minutes = two_digits(s, 3);
  if (hours > 23 || minutes > 59) return -1;
  return hours * 60 + minutes;
}

bool is_date(const Json& value) {
  if (!value.is_string()) return false;
  std::string_view s = value.get_ref<const std::string&>();
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !all_digits(s, {0, 1, 2, 3, 5, 6, 8, 9})) {
    return false;
  }
  int month = two_digits(s, 5);
  int day = two_digits(s, 8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// "mon" or "monday" in any case; the index from Monday, or -1.
int day_index(const Json& value) {
  if (!value.is_string()) return -1;
  std::string_view text = value.get_ref<const std::string&>();
  for (size_t i = 0; i < kDayNames.size(); ++i) {
    if (iequals(text, kDayNames[i]) || iequals(text, kFullDayNames[i])) return int(i);
  }
  return -1;
}

}  // namespace

void check_calling_window(const Json& window, ConfigProblems& problems) {
  if (!window.is_object()) {
    problems.add("calling_window", "must be an object or null");
    return;
  }
  if (const Json* days = config_field(window, "days")) {
    if (!days->is_array() || days->empty()) {
      problems.add("calling_window.days", "must be a non-empty array of days (mon..sun)");
    } else {
      for (size_t i = 0; i < days->size(); ++i) {
        if (day_index((*days)[i]) < 0) {
          problems.add("calling_window.days[" + std::to_string(i) + "]",
                       "must be one of " + join_names(kDayNames));
        }
      }
    }
  }
  const Json* start = config_field(window, "start");
  const Json* end = config_field(window, "end");
  bool times_ok = true;
  for (auto [key, value] : {std::pair{"start", start}, std::pair{"end", end}}) {
    if (value != nullptr && minute_of_day(*value) < 0) {
      problems.add(std::string("calling_window.") + key, "must be a time like 09:00 (HH:MM)");
      times_ok = false;
    }
  }
  // A window that wraps past midnight is almost always a typo for calling hours.
  if (times_ok && start != nullptr && end != nullptr &&
      minute_of_day(*end) <= minute_of_day(*start)) {
    problems.add("calling_window.end", "must be later than calling_window.start");
  }
  if (const Json* dates = config_field(window, "blackout_dates")) {
    if (!dates->is_array()) {
      problems.add("calling_window.blackout_dates", "must be an array of dates (YYYY-MM-DD)");
    } else {
      for (size_t i = 0; i < dates->size(); ++i) {
        if (!is_date((*dates)[i])) {
          problems.add("calling_window.blackout_dates[" + std::to_string(i) + "]",
                       "must be a date like 2024-12-25 (YYYY-MM-DD)");
        }
      }
    }
  }
}

CallingWindow parse_calling_window(const Json& window) {
  CallingWindow out;
  if (const Json* days = config_field(window, "days"); days != nullptr && days->is_array()) {
    std::array<bool, 7> chosen{};
    bool any = false;
    for (const Json& day : *days) {
      if (int i = day_index(day); i >= 0) chosen[size_t(i)] = any = true;
    }
    if (any) out.days = chosen;
  }
  if (const Json* start = config_field(window, "start")) {
    if (int m = minute_of_day(*start); m >= 0) out.start_minute = m;
  }
  if (const Json* end = config_field(window, "end")) {
    if (int m = minute_of_day(*end); m >= 0) out.end_minute = m;
  }
  if (const Json* dates = config_field(window, "blackout_dates");
      dates != nullptr && dates->is_array()) {
    for (const Json& date : *dates) {
      if (is_date(date)) out.blackout_dates.push_back(date.get<std::string>());
    }
  }
  return out;
}

}  // namespace leadline::domain
