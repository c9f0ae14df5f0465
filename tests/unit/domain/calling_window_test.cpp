#include "domain/calling_window.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

std::vector<std::string> check(const Json& window) {
  ConfigProblems problems;
  check_calling_window(window, problems);
  return problems.take();
}

TEST(CallingWindow, AcceptsAFullWindow) {
  Json window = {{"days", {"mon", "TUE", "wednesday"}},
                 {"start", "09:00"},
                 {"end", "17:30"},
                 {"blackout_dates", {"2024-12-25"}},
                 {"timezone", "America/New_York"}};
  EXPECT_TRUE(check(window).empty());
  EXPECT_TRUE(check(Json::object()).empty());
}

TEST(CallingWindow, ReportsEveryBadPart) {
  Json window = {{"days", {"mon", "funday"}},
                 {"start", "9am"},
                 {"end", "24:00"},
                 {"blackout_dates", {"2024-13-01", "2024-12-25"}}};
  EXPECT_EQ(check(window),
            (std::vector<std::string>{
                "config.calling_window.days[1] must be one of mon, tue, wed, thu, fri, sat, sun",
                "config.calling_window.start must be a time like 09:00 (HH:MM)",
                "config.calling_window.end must be a time like 09:00 (HH:MM)",
                "config.calling_window.blackout_dates[0] must be a date like 2024-12-25 "
                "(YYYY-MM-DD)"}));
}

TEST(CallingWindow, RejectsNonObjectsEmptyDaysAndBackwardsTimes) {
  EXPECT_EQ(check(Json::array()),
            std::vector<std::string>{"config.calling_window must be an object or null"});
  EXPECT_EQ(check({{"days", Json::array()}}),
            std::vector<std::string>{
                "config.calling_window.days must be a non-empty array of days (mon..sun)"});
  EXPECT_TRUE(check({{"start", "22:00"}, {"end", "02:00"}}).empty());  // crosses midnight
  EXPECT_EQ(
      check({{"start", "09:00"}, {"end", "09:00"}}),
      std::vector<std::string>{"config.calling_window.end must differ from calling_window.start"});
  EXPECT_EQ(
      check({{"start", "21:00"}}),
      std::vector<std::string>{"config.calling_window.end must differ from calling_window.start"});
  EXPECT_EQ(check({{"blackout_dates", "2024-12-25"}}),
            std::vector<std::string>{
                "config.calling_window.blackout_dates must be an array of dates (YYYY-MM-DD)"});
}

TEST(CallingWindow, ParsesDaysTimesAndDates) {
  auto window = parse_calling_window({{"days", {"sat", "Sunday"}},
                                      {"start", "08:15"},
                                      {"end", "20:00"},
                                      {"blackout_dates", {"2025-01-01"}}});
  EXPECT_EQ(window.days, (std::array<bool, 7>{false, false, false, false, false, true, true}));
  EXPECT_EQ(window.start_minute, 8 * 60 + 15);
  EXPECT_EQ(window.end_minute, 20 * 60);
  EXPECT_EQ(window.blackout_dates, (std::vector<util::CivilDate>{{2025, 1, 1}}));
}

TEST(CallingWindow, MissingPartsTakeTheLawfulDefault) {
  auto window = parse_calling_window(Json::object());
  EXPECT_EQ(window.days, (std::array<bool, 7>{true, true, true, true, true, true, true}));
  EXPECT_EQ(window.start_minute, 8 * 60);
  EXPECT_EQ(window.end_minute, 21 * 60);
  EXPECT_TRUE(window.blackout_dates.empty());
  EXPECT_EQ(window.describe(), "08:00-21:00 every day");
}

TEST(CallingWindow, BlackoutDatesMustExist) {
  EXPECT_EQ(check({{"blackout_dates", {"2026-02-29"}}}),
            std::vector<std::string>{"config.calling_window.blackout_dates[0] must be a date like "
                                     "2024-12-25 (YYYY-MM-DD)"});
}

TEST(EffectiveWindow, NodeWinsThenWorkflowThenDefault) {
  const Json node_window = {{"calling_window", {{"start", "10:00"}, {"end", "12:00"}}}};
  const Json workflow_window = {{"calling_window", {{"start", "09:00"}, {"end", "17:00"}}}};
  EXPECT_EQ(effective_calling_window(node_window, workflow_window)->start_minute, 10 * 60);
  EXPECT_EQ(effective_calling_window(Json::object(), workflow_window)->start_minute, 9 * 60);
  EXPECT_EQ(effective_calling_window(Json::object(), Json::object())->start_minute, 8 * 60);
  // null switches the window off, on either level; the node's null wins over the workflow.
  EXPECT_FALSE(effective_calling_window({{"calling_window", nullptr}}, workflow_window));
  EXPECT_FALSE(effective_calling_window(Json::object(), {{"calling_window", nullptr}}));
  EXPECT_EQ(effective_calling_window(node_window, {{"calling_window", nullptr}})->start_minute,
            10 * 60);
}

// --- next_window_opening: instants in UTC, windows in the zone's wall-clock time ---

util::Millis at(std::string_view iso) { return *util::parse_iso(iso); }
util::TimeZone zone(std::string_view name) { return *util::TimeZone::find(name); }
std::string opening(const CallingWindow& window, std::string_view tz, std::string_view now) {
  auto z = zone(tz);
  auto next = next_window_opening(window, z, at(now));
  return next ? z.format(*next) : "never";
}

TEST(NextOpening, InsideTheWindowIsNow) {
  EXPECT_EQ(opening({}, "America/New_York", "2026-12-01T15:00:00Z"), "2026-12-01T10:00:00-05:00");
}

TEST(NextOpening, BeforeAndAfterHours) {
  CallingWindow window;  // 08:00-21:00
  EXPECT_EQ(opening(window, "America/New_York", "2026-12-01T11:00:00Z"),
            "2026-12-01T08:00:00-05:00");  // 06:00 local
  EXPECT_EQ(opening(window, "America/New_York", "2026-12-02T02:30:00Z"),
            "2026-12-02T08:00:00-05:00");  // 21:30 local
  // The end is exclusive: 21:00 sharp is closed.
  EXPECT_EQ(opening(window, "UTC", "2026-12-01T21:00:00Z"), "2026-12-02T08:00:00+00:00");
}

TEST(NextOpening, WeekdaysOnlySkipTheWeekend) {
  auto window = parse_calling_window(
      {{"days", {"mon", "tue", "wed", "thu", "fri"}}, {"start", "09:00"}, {"end", "17:00"}});
  // Friday 2026-12-04 17:30 local → Monday 09:00.
  EXPECT_EQ(opening(window, "Europe/Paris", "2026-12-04T16:30:00Z"), "2026-12-07T09:00:00+01:00");
  // Saturday noon → Monday.
  EXPECT_EQ(opening(window, "Europe/Paris", "2026-12-05T11:00:00Z"), "2026-12-07T09:00:00+01:00");
}

TEST(NextOpening, BlackoutDatesAreSkipped) {
  auto window = parse_calling_window({{"blackout_dates", {"2026-12-25", "2026-12-26"}}});
  EXPECT_EQ(opening(window, "America/Chicago", "2026-12-25T15:00:00Z"),
            "2026-12-27T08:00:00-06:00");
  EXPECT_EQ(opening(window, "America/Chicago", "2026-12-24T15:00:00Z"),
            "2026-12-24T09:00:00-06:00");
}

TEST(NextOpening, WindowsAcrossMidnight) {
  auto window = parse_calling_window({{"days", {"fri"}}, {"start", "22:00"}, {"end", "02:00"}});
  // Friday 2026-12-04 23:00 UTC is inside; so is Saturday 01:00 (Friday's window).
  EXPECT_EQ(opening(window, "UTC", "2026-12-04T23:00:00Z"), "2026-12-04T23:00:00+00:00");
  EXPECT_EQ(opening(window, "UTC", "2026-12-05T01:00:00Z"), "2026-12-05T01:00:00+00:00");
  // Saturday 02:00 has closed; Saturday's own evening is not a Friday → next Friday 22:00.
  EXPECT_EQ(opening(window, "UTC", "2026-12-05T02:00:00Z"), "2026-12-11T22:00:00+00:00");
  // Thursday night after midnight belongs to Thursday's window, which is closed.
  EXPECT_EQ(opening(window, "UTC", "2026-12-04T01:00:00Z"), "2026-12-04T22:00:00+00:00");
}

TEST(NextOpening, BlackoutCutsAWindowAtMidnight) {
  auto window = parse_calling_window(
      {{"start", "22:00"}, {"end", "02:00"}, {"blackout_dates", {"2026-12-25"}}});
  // 24th 23:30 is open; 25th 00:30 is on the blackout date; the 25th's own window opened on
  // a blackout date, so even its part after midnight stays closed: next is the 26th 22:00.
  EXPECT_EQ(opening(window, "UTC", "2026-12-24T23:30:00Z"), "2026-12-24T23:30:00+00:00");
  EXPECT_EQ(opening(window, "UTC", "2026-12-25T00:30:00Z"), "2026-12-26T22:00:00+00:00");
}

TEST(NextOpening, SpringForwardInTwoZones) {
  // US: 2026-03-08 02:00 → 03:00. A 02:30 opening does not exist that night: it opens at
  // 03:00 EDT, the end of the gap.
  auto early = parse_calling_window({{"start", "02:30"}, {"end", "06:00"}});
  EXPECT_EQ(opening(early, "America/New_York", "2026-03-08T06:00:00Z"),
            "2026-03-08T03:00:00-04:00");
  // Europe: 2026-03-29 02:00 → 03:00. 08:00 opening the same morning is at the new offset.
  EXPECT_EQ(opening({}, "Europe/Berlin", "2026-03-29T03:00:00Z"), "2026-03-29T08:00:00+02:00");
  EXPECT_EQ(opening({}, "Europe/Berlin", "2026-03-28T21:00:00Z"), "2026-03-29T08:00:00+02:00");
}

TEST(NextOpening, FallBackInTwoZones) {
  // US: 2026-11-01 02:00 EDT → 01:00 EST. 08:00 that day is EST.
  EXPECT_EQ(opening({}, "America/New_York", "2026-11-01T05:30:00Z"), "2026-11-01T08:00:00-05:00");
  // 01:30 happens twice; a window opening at 01:30 opens at the first.
  auto night = parse_calling_window({{"start", "01:30"}, {"end", "03:00"}});
  EXPECT_EQ(opening(night, "America/New_York", "2026-11-01T04:00:00Z"),
            "2026-11-01T01:30:00-04:00");
  // Europe: 2026-10-25 03:00 CEST → 02:00 CET; at 20:30 CET it is still open (window is
  // wall-clock), at 21:00 closed.
  EXPECT_EQ(opening({}, "Europe/Berlin", "2026-10-25T19:30:00Z"), "2026-10-25T20:30:00+01:00");
  EXPECT_EQ(opening({}, "Europe/Berlin", "2026-10-25T20:00:00Z"), "2026-10-26T08:00:00+01:00");
}

TEST(NextOpening, NeverWhenEveryDayIsBlackedOut) {
  CallingWindow window;
  window.days = {false, false, false, false, false, false, true};  // Sundays
  for (int d = 0; d < 420; ++d)
    if (util::weekday(util::add_days({2026, 12, 1}, d)) == 6)
      window.blackout_dates.push_back(util::add_days({2026, 12, 1}, d));
  EXPECT_EQ(opening(window, "UTC", "2026-12-01T12:00:00Z"), "never");
}

}  // namespace
}  // namespace leadline::domain
