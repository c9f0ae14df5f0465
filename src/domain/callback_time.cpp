#include "domain/callback_time.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace leadline::domain {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays{"monday", "tuesday",  "wednesday", "thursday",
                                                    "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 12> kMonths{"january",   "february", "march",    "april",
                                                   "may",       "june",     "july",     "august",
                                                   "september", "october",  "november", "december"};

enum class Meridiem { kNone, kAm, kPm };
enum class PartOfDay { kNone, kMorning, kAfternoon, kEvening, kNight };

// "tue", "tues", "tuesday" → 1; -1 otherwise. Three letters at least.
template <size_t N>
int match_name(std::string_view word, const std::array<std::string_view, N>& names) {
  if (word.size() < 3) return -1;
  for (size_t i = 0; i < N; ++i)
    if (names[i].starts_with(word)) return int(i);
  return -1;
}

bool is_number(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> to_int(std::string_view s) {
  if (!is_number(s) || s.size() > 4) return std::nullopt;
  return std::stoi(std::string(s));
}

// Lower case; "a.m." → "am"; commas gone; a space between digits and letters ("4pm",
// "5th", "2026-06-05t16:30").
std::vector<std::string> tokenize(std::string_view text) {
  std::string s;
  for (char c : text) s += char(std::tolower(static_cast<unsigned char>(c)));
  for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"a.m.", "am"},
                          {"p.m.", "pm"},
                          {"a.m", "am"},
                          {"p.m", "pm"}}) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at))
      s.replace(at, from.size(), to);
  }
  std::string spaced;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ',' || c == ';' || c == '!' || c == '?' || c == '(' || c == ')') {
      spaced += ' ';
      continue;
    }
    if (i > 0) {
      const bool digit = std::isdigit(static_cast<unsigned char>(c));
      const bool prev_digit = std::isdigit(static_cast<unsigned char>(s[i - 1]));
      const bool alpha = std::isalpha(static_cast<unsigned char>(c));
      const bool prev_alpha = std::isalpha(static_cast<unsigned char>(s[i - 1]));
      if ((digit && prev_alpha) || (alpha && prev_digit)) spaced += ' ';
    }
    spaced += c;
  }
  std::vector<std::string> tokens;
  std::string current;
  for (char c : spaced) {
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  for (auto& token : tokens) {
    // A trailing full stop ("at 3 pm.") is punctuation, not part of the word.
    while (token.size() > 1 && token.back() == '.') token.pop_back();
    // "4.30" is written for 4:30 in much of the world.
    const auto dot = token.find('.');
    if (dot != std::string::npos && dot >= 1 && dot <= 2 && token.size() == dot + 3 &&
        is_number(token.substr(0, dot)) && is_number(token.substr(dot + 1)))
      token[dot] = ':';
  }
  return tokens;
}

struct Reading {
  // Date parts.
  std::optional<int> year, month, day;
  std::optional<int> day_offset;  // today 0, tomorrow 1
  std::optional<int> weekday;
  bool next = false;
  // Time parts.
  std::optional<int> hour, minute;
  bool twenty_four_hour = false;
  Meridiem meridiem = Meridiem::kNone;
  PartOfDay part = PartOfDay::kNone;
  // "in 2 hours".
  std::optional<util::Millis> relative;

  bool has_date() const { return year || month || day || day_offset || weekday; }
};

std::optional<util::Millis> unit_millis(std::string_view word) {
  if (word.starts_with("min")) return 60'000;
  if (word.starts_with("hour") || word == "hr" || word == "hrs" || word == "h") return 3'600'000;
  if (word == "day" || word == "days") return 86'400'000;
  if (word == "week" || word == "weeks") return 7 * 86'400'000LL;
  return std::nullopt;
}

bool read_time(std::string_view token, Reading& r) {
  const auto colon = token.find(':');
  auto hour = to_int(token.substr(0, colon));
  auto minute =
      colon == std::string_view::npos ? std::optional(0) : to_int(token.substr(colon + 1));
  if (!hour || !minute || *hour > 24 || *minute > 59) return false;
  if (colon != std::string_view::npos && token.size() - colon - 1 != 2) return false;
  if (r.hour) return false;  // two times
  r.hour = *hour == 24 ? 0 : *hour;
  r.minute = *minute;
  if (*hour > 12 || *hour == 0 || (colon == 2 && token[0] == '0')) r.twenty_four_hour = true;
  return true;
}

bool read_iso_date(std::string_view token, Reading& r) {
  if (token.size() != 10 || token[4] != '-' || token[7] != '-') return false;
  auto y = to_int(token.substr(0, 4));
  auto m = to_int(token.substr(5, 2));
  auto d = to_int(token.substr(8, 2));
  if (!y || !m || !d || !util::is_valid_date(*y, *m, *d)) return false;
  r.year = y, r.month = m, r.day = d;
  return true;
}

// "05/06/2026": day/month unless impossible; "6/13/26" is month/day.
bool read_slash_date(std::string_view token, Reading& r) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t at = token.find('/'); at != std::string_view::npos; at = token.find('/', start)) {
    parts.push_back(token.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(token.substr(start));
  if (parts.size() < 2 || parts.size() > 3) return false;
  auto a = to_int(parts[0]);
  auto b = to_int(parts[1]);
  if (!a || !b) return false;
  std::optional<int> year;
  if (parts.size() == 3) {
    year = to_int(parts[2]);
    if (!year) return false;
    if (*year < 100) *year += 2000;
  }
  int day = *a, month = *b;
  if (month > 12) std::swap(day, month);
  if (month > 12 || day > 31) return false;
  r.day = day, r.month = month;
  if (year) r.year = year;
  return true;
}

std::optional<Reading> read(const std::vector<std::string>& tokens) {
  Reading r;
  bool understood = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    const std::string_view next = i + 1 < tokens.size() ? std::string_view(tokens[i + 1]) : "";
    const std::string_view prev = i > 0 ? std::string_view(tokens[i - 1]) : "";
    if (t == "today") {
      r.day_offset = 0;
    } else if (t == "tonight") {
      r.day_offset = 0, r.part = PartOfDay::kNight;
    } else if (t == "tomorrow" || t == "tmrw" || t == "tmr") {
      r.day_offset = 1;
    } else if (t == "day" && next == "after" && i + 2 < tokens.size() &&
               tokens[i + 2] == "tomorrow") {
      r.day_offset = 2;
      i += 2;
    } else if (t == "next") {
      r.next = true;
    } else if (t == "am") {
      r.meridiem = Meridiem::kAm;
    } else if (t == "pm") {
      r.meridiem = Meridiem::kPm;
    } else if (t == "noon" || t == "midday") {
      r.hour = 12, r.minute = 0, r.twenty_four_hour = true;
    } else if (t == "midnight") {
      r.hour = 0, r.minute = 0, r.twenty_four_hour = true;
    } else if (t == "morning") {
      r.part = PartOfDay::kMorning;
    } else if (t == "afternoon") {
      r.part = PartOfDay::kAfternoon;
    } else if (t == "evening") {
      r.part = PartOfDay::kEvening;
    } else if (t == "night") {
      r.part = PartOfDay::kNight;
    } else if (t == "in" && is_number(next) && i + 2 < tokens.size() &&
               unit_millis(tokens[i + 2])) {
      r.relative = *to_int(next) * *unit_millis(tokens[i + 2]);
      i += 2;
    } else if (int w = match_name(t, kWeekdays); w >= 0) {
      r.weekday = w;
    } else if (int m = match_name(t, kMonths); m >= 0) {
      r.month = m + 1;
    } else if (t.find('-') != std::string::npos) {
      if (!read_iso_date(t, r)) return std::nullopt;
    } else if (t.find('/') != std::string::npos) {
      if (!read_slash_date(t, r)) return std::nullopt;
    } else if (t.find(':') != std::string::npos) {
      if (!read_time(t, r)) return std::nullopt;
    } else if (is_number(t)) {
      const int n = to_int(t).value_or(-1);
      const bool by_month = match_name(prev, kMonths) >= 0 || match_name(next, kMonths) >= 0;
      const bool ordinal = next == "st" || next == "nd" || next == "rd" || next == "th";
      if (t.size() == 4 && n >= 1900) {
        r.year = n;
      } else if ((by_month || ordinal) && !r.day && n >= 1 && n <= 31) {
        r.day = n;
      } else if (!r.hour && !r.relative && unit_millis(next)) {
        r.relative = n * *unit_millis(next);
        ++i;
      } else if (!read_time(t, r)) {
        return std::nullopt;
      }
    } else if (std::isdigit(static_cast<unsigned char>(t[0]))) {
      return std::nullopt;  // a number we cannot read is not a time to guess around
    } else {
      continue;  // filler ("call me at", "around", "o'clock", ...)
    }
    understood = true;
  }
  if (!understood) return std::nullopt;
  return r;
}

// Minutes after midnight for the hour read; two candidates when AM/PM is open.
std::vector<int> times_of_day(const Reading& r) {
  if (!r.hour && r.meridiem != Meridiem::kNone) return {};  // "pm" alone
  if (!r.hour) {
    switch (r.part) {
      case PartOfDay::kMorning:
        return {9 * 60};
      case PartOfDay::kAfternoon:
        return {14 * 60};
      case PartOfDay::kEvening:
        return {18 * 60};
      case PartOfDay::kNight:
        return {20 * 60};
      case PartOfDay::kNone:
        return {9 * 60};
    }
  }
  const int h = *r.hour;
  const int m = r.minute.value_or(0);
  if (r.meridiem != Meridiem::kNone) {
    if (h == 0 || h > 12) return {};  // "15 pm"
    return {((h % 12) + (r.meridiem == Meridiem::kPm ? 12 : 0)) * 60 + m};
  }
  if (r.twenty_four_hour) return {h * 60 + m};
  if (r.part == PartOfDay::kMorning) return {(h % 12) * 60 + m};
  if (r.part != PartOfDay::kNone) return {((h % 12) + 12) * 60 + m};
  if (!r.has_date()) return {(h % 12) * 60 + m, ((h % 12) + 12) * 60 + m};
  return {((h >= 7 && h <= 11) ? h : (h % 12) + 12) * 60 + m};
}

}  // namespace

std::optional<util::Millis> parse_callback_time(std::string_view text, util::Millis now,
                                                const util::TimeZone& zone) {
  // An instant with its own offset ("2026-06-05T16:30:00Z") needs no zone; anything
  // without one is wall-clock time in the lead's zone.
  const bool has_offset = text.size() > 16 && (text.back() == 'Z' || text.back() == 'z' ||
                                               text.find_first_of("+-", 16) != text.npos);
  if (auto absolute = has_offset ? util::parse_iso(text) : std::nullopt)
    return *absolute > now ? absolute : std::nullopt;
  const auto reading = read(tokenize(text));
  if (!reading) return std::nullopt;
  const Reading& r = *reading;
  if (r.relative) {
    if (r.has_date() || r.hour || *r.relative <= 0) return std::nullopt;
    return now + *r.relative;
  }
  const auto minutes = times_of_day(r);
  if (minutes.empty()) return std::nullopt;
  const util::CivilDate today = zone.to_local(now).date;

  std::vector<util::CivilDate> days;  // candidate dates, earliest first
  if (r.month && r.day) {
    if (r.year) {
      if (!util::is_valid_date(*r.year, *r.month, *r.day)) return std::nullopt;
      days = {{*r.year, *r.month, *r.day}};
    } else {
      for (int year : {today.year, today.year + 1})
        if (util::is_valid_date(year, *r.month, *r.day)) days.push_back({year, *r.month, *r.day});
    }
  } else if (r.month || r.day || r.year) {
    return std::nullopt;  // half a date
  } else if (r.weekday) {
    int ahead = (*r.weekday - util::weekday(today) + 7) % 7;
    if (r.next && ahead == 0) ahead = 7;
    days = {util::add_days(today, ahead), util::add_days(today, ahead + 7)};
  } else if (r.day_offset) {
    days = {util::add_days(today, *r.day_offset)};
  } else {
    days = {today, util::add_days(today, 1)};
  }
  for (const auto& day : days) {
    std::optional<util::Millis> best;
    for (int minute : minutes) {
      const util::Millis at = zone.from_local(day, minute);
      if (at > now && (!best || at < *best)) best = at;
    }
    if (best) return best;
  }
  return std::nullopt;
}

}  // namespace leadline::domain
