#include "util/timezone.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace leadline::util {
namespace {
using std::chrono::milliseconds;

date::sys_days to_sys_days(CivilDate d) {
  return date::sys_days(date::year(d.year) / date::month(unsigned(d.month)) /
                        date::day(unsigned(d.day)));
}

CivilDate from_days(date::days days_since_epoch) {
  const date::year_month_day ymd{date::sys_days(days_since_epoch)};
  return {int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day()))};
}

const date::time_zone* utc_zone() {
  static const date::time_zone* zone = date::locate_zone("Etc/UTC");
  return zone;
}

// zone.tab: "US<TAB>+404251-0740023<TAB>America/New_York<TAB>Eastern (most areas)".
std::map<std::string, std::vector<std::string>, std::less<>> load_zone_table() {
  std::map<std::string, std::vector<std::string>, std::less<>> table;
  std::ifstream in("/usr/share/zoneinfo/zone.tab");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string region, coordinates, zone;
    if (std::getline(fields, region, '\t') && std::getline(fields, coordinates, '\t') &&
        std::getline(fields, zone, '\t'))
      table[region].push_back(zone);
  }
  return table;
}
}  // namespace

bool is_known_timezone(std::string_view name) { return TimeZone::find(name).has_value(); }

CivilDate add_days(CivilDate date, int days) {
  return from_days(to_sys_days(date).time_since_epoch() + date::days(days));
}

int weekday(CivilDate date) {
  // date::weekday counts from Sunday = 0.
  return int((date::weekday(to_sys_days(date)).c_encoding() + 6) % 7);
}

bool is_valid_date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return (date::year(year) / date::month(unsigned(month)) / date::day(unsigned(day))).ok();
}

std::string format_date(CivilDate d) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buffer;
}

TimeZone::TimeZone() : zone_(utc_zone()) {}

std::optional<TimeZone> TimeZone::find(std::string_view name) {
  if (name.empty()) return std::nullopt;
  try {
    if (const auto* zone = date::locate_zone(std::string(name))) return TimeZone(zone);
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

const std::string& TimeZone::name() const { return zone_->name(); }

LocalTime TimeZone::to_local(Millis instant) const {
  const date::sys_time<milliseconds> sys{milliseconds(instant)};
  const auto local = zone_->to_local(sys);
  const auto day = date::floor<date::days>(local);
  const auto seconds = date::floor<std::chrono::seconds>(local - day).count();
  LocalTime out;
  out.date = from_days(day.time_since_epoch());
  out.minute_of_day = int(seconds / 60);
  out.second = int(seconds % 60);
  return out;
}

Millis TimeZone::from_local(CivilDate date, int minute_of_day) const {
  const date::local_time<std::chrono::minutes> local{to_sys_days(date).time_since_epoch() +
                                                     std::chrono::minutes(minute_of_day)};
  const auto info = zone_->get_info(local);
  if (info.result == date::local_info::nonexistent)
    return date::floor<milliseconds>(info.first.end).time_since_epoch().count();
  // Unique or ambiguous: `first` is the offset before any autumn change, so the earlier.
  const auto minutes = local.time_since_epoch() - info.first.offset;
  return std::chrono::duration_cast<milliseconds>(minutes).count();
}

std::string TimeZone::format(Millis instant) const {
  const date::sys_time<std::chrono::seconds> sys{std::chrono::seconds(instant / 1000)};
  return date::format("%FT%T%Ez", date::make_zoned(zone_, sys));
}

const std::vector<std::string>& zones_of_region(std::string_view region) {
  static const auto table = load_zone_table();
  static const std::vector<std::string> none;
  auto it = table.find(region);
  return it == table.end() ? none : it->second;
}

}  // namespace leadline::util
