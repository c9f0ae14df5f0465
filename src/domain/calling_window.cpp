#include "domain/calling_window.h"

#include <algorithm>
#include <cstdio>
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
  return util::is_valid_date(two_digits(s, 0) * 100 + two_digits(s, 2), two_digits(s, 5),
                             two_digits(s, 8));
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
  // An end before the start crosses midnight; an end equal to it opens nothing.
  if (times_ok) {
    const CallingWindow defaults;
    const int from = start != nullptr ? minute_of_day(*start) : defaults.start_minute;
    const int to = end != nullptr ? minute_of_day(*end) : defaults.end_minute;
    if (from == to) problems.add("calling_window.end", "must differ from calling_window.start");
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
      if (!is_date(date)) continue;
      std::string_view s = date.get_ref<const std::string&>();
      out.blackout_dates.push_back(
          {two_digits(s, 0) * 100 + two_digits(s, 2), two_digits(s, 5), two_digits(s, 8)});
    }
  }
  return out;
}

bool CallingWindow::contains(const util::LocalTime& local) const {
  const auto& date = local.date;
  if (std::find(blackout_dates.begin(), blackout_dates.end(), date) != blackout_dates.end())
    return false;
  const int minute = local.minute_of_day;
  const auto opened_on = [&](util::CivilDate day) {
    return days[size_t(util::weekday(day))] &&
           std::find(blackout_dates.begin(), blackout_dates.end(), day) == blackout_dates.end();
  };
  if (!crosses_midnight()) return minute >= start_minute && minute < end_minute && opened_on(date);
  if (minute >= start_minute) return opened_on(date);
  return minute < end_minute && opened_on(util::add_days(date, -1));
}

std::string CallingWindow::describe() const {
  auto hhmm = [](int minute) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", minute / 60, minute % 60);
    return std::string(buffer);
  };
  std::string text = hhmm(start_minute) + "-" + hhmm(end_minute) + " ";
  std::string chosen;
  for (size_t i = 0; i < days.size(); ++i)
    if (days[i]) chosen += (chosen.empty() ? "" : ", ") + std::string(kDayNames[i]);
  const bool every_day = std::all_of(days.begin(), days.end(), [](bool d) { return d; });
  text += every_day ? "every day" : chosen;
  if (crosses_midnight()) text += " (crosses midnight)";
  if (!blackout_dates.empty()) text += ", not on blackout dates";
  return text;
}

std::optional<CallingWindow> effective_calling_window(const Json& node_config,
                                                      const Json& workflow_settings) {
  for (const Json* scope : {&node_config, &workflow_settings}) {
    if (!scope->is_object()) continue;
    auto it = scope->find("calling_window");
    if (it == scope->end()) continue;
    if (!it->is_object()) return std::nullopt;  // null switches the window off
    return parse_calling_window(*it);
  }
  return CallingWindow{};
}

std::optional<util::Millis> next_window_opening(const CallingWindow& window,
                                                const util::TimeZone& zone, util::Millis now) {
  const util::LocalTime local = zone.to_local(now);
  if (window.contains(local)) return now;
  // The window opens at some day's start time or, when that day's own opening was on a
  // blackout date, at a midnight inside a window that crosses it. Candidates are tried
  // in order; each is converted back so DST gaps and overlaps resolve as the zone says.
  constexpr int kHorizonDays = 400;
  for (int d = 0; d <= kHorizonDays; ++d) {
    const util::CivilDate day = util::add_days(local.date, d);
    for (int minute : {0, window.start_minute}) {
      const util::Millis candidate = zone.from_local(day, minute);
      if (candidate > now && window.contains(zone.to_local(candidate))) return candidate;
    }
  }
  return std::nullopt;
}

std::optional<util::Millis> next_opening_in_both(const CallingWindow* first,
                                                 const CallingWindow* second,
                                                 const util::TimeZone& zone, util::Millis now) {
  // Each round moves to the next opening of one window, then of the other, until a moment is
  // inside both. Two windows that open once a day meet within a few rounds; the bound only
  // ends the search for two that never overlap.
  constexpr int kMaxRounds = 64;
  util::Millis at = now;
  for (int round = 0; round < kMaxRounds; ++round) {
    auto in_first = first ? next_window_opening(*first, zone, at) : std::optional(at);
    if (!in_first) return std::nullopt;
    auto in_second = second ? next_window_opening(*second, zone, *in_first) : in_first;
    if (!in_second) return std::nullopt;
    if (*in_second == *in_first) return in_first;
    at = *in_second;
  }
  return std::nullopt;
}

}  // namespace leadline::domain
