#pragma once
// IANA time zones from the system tz database (date/tz), and the conversions between an
// instant and the wall-clock time of a zone that calling windows and callback times need.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/time.h"

namespace date {
class time_zone;
}

namespace leadline::util {

// True when the name is a zone the system tz database knows ("Europe/Berlin", "UTC").
bool is_known_timezone(std::string_view name);

// A calendar date; weekday 0 = Monday.
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};
CivilDate add_days(CivilDate date, int days);
int weekday(CivilDate date);  // 0 = Monday .. 6 = Sunday
bool is_valid_date(int year, int month, int day);
std::string format_date(CivilDate date);  // "2026-12-25"

// A wall-clock moment in some zone.
struct LocalTime {
  CivilDate date;
  int minute_of_day = 0;  // 0..1439
  int second = 0;
};

// A zone of the tz database; cheap to copy. Default-constructed: UTC.
class TimeZone {
 public:
  TimeZone();
  // nullopt when the database does not know the name.
  static std::optional<TimeZone> find(std::string_view name);
  static TimeZone utc() { return TimeZone(); }

  const std::string& name() const;
  LocalTime to_local(Millis instant) const;
  // The instant of a wall-clock time. A time skipped by a DST change (02:30 on a
  // spring-forward night) becomes the first instant after the gap; a time that happens
  // twice (autumn) the earlier of the two.
  Millis from_local(CivilDate date, int minute_of_day) const;
  // "2026-12-01T09:00:00-05:00": the instant in this zone's wall-clock time.
  std::string format(Millis instant) const;

 private:
  explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}
  const date::time_zone* zone_;
};

// The zones the tz database lists for an ISO 3166 region (zone.tab), most populous
// area first; empty for unknown regions.
const std::vector<std::string>& zones_of_region(std::string_view region);

}  // namespace leadline::util
