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
  EXPECT_EQ(check({{"start", "17:00"}, {"end", "09:00"}}),
            std::vector<std::string>{
                "config.calling_window.end must be later than calling_window.start"});
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
  EXPECT_EQ(window.blackout_dates, std::vector<std::string>{"2025-01-01"});
}

TEST(CallingWindow, DefaultsToEveryDayAllDay) {
  auto window = parse_calling_window(Json::object());
  EXPECT_EQ(window.days, (std::array<bool, 7>{true, true, true, true, true, true, true}));
  EXPECT_EQ(window.start_minute, 0);
  EXPECT_EQ(window.end_minute, 24 * 60);
  EXPECT_TRUE(window.blackout_dates.empty());
}

}  // namespace
}  // namespace leadline::domain
