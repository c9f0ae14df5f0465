#include "domain/callback_time.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

// Tuesday 2026-05-26, 09:00 in New York (EDT, UTC-4).
const util::Millis kNow = *util::parse_iso("2026-05-26T13:00:00Z");
const util::TimeZone kNewYork = *util::TimeZone::find("America/New_York");

std::string callback(std::string_view text, util::Millis now = kNow,
                     const util::TimeZone& zone = kNewYork) {
  auto at = parse_callback_time(text, now, zone);
  return at ? zone.format(*at) : "unreadable";
}

TEST(CallbackTime, TheIssueExamples) {
  EXPECT_EQ(callback("3 PM"), "2026-05-26T15:00:00-04:00");
  EXPECT_EQ(callback("tomorrow 4 PM"), "2026-05-27T16:00:00-04:00");
  EXPECT_EQ(callback("Tuesday 10:30 AM"), "2026-05-26T10:30:00-04:00");
  EXPECT_EQ(callback("next Tuesday 10:30 AM"), "2026-06-02T10:30:00-04:00");
  EXPECT_EQ(callback("evening 7"), "2026-05-26T19:00:00-04:00");
  EXPECT_EQ(callback("9 o'clock"), "2026-05-26T21:00:00-04:00");  // 09:00 is now
  EXPECT_EQ(callback("2026-06-05 16:30"), "2026-06-05T16:30:00-04:00");
  EXPECT_EQ(callback("June 5, 2026 4:30 PM"), "2026-06-05T16:30:00-04:00");
  EXPECT_EQ(callback("05/06/2026 16:30"), "2026-06-05T16:30:00-04:00");
}

TEST(CallbackTime, OClockIsTheNearerOfMorningAndEvening) {
  const util::Millis early = *util::parse_iso("2026-05-26T12:00:00Z");  // 08:00
  EXPECT_EQ(callback("9 o'clock", early), "2026-05-26T09:00:00-04:00");
  const util::Millis late = *util::parse_iso("2026-05-27T02:00:00Z");  // 22:00
  EXPECT_EQ(callback("9 o'clock", late), "2026-05-27T09:00:00-04:00");
  EXPECT_EQ(callback("at 10:30"), "2026-05-26T10:30:00-04:00");
}

TEST(CallbackTime, TimesWithoutADayComeRoundNext) {
  EXPECT_EQ(callback("8 am"), "2026-05-27T08:00:00-04:00");
  EXPECT_EQ(callback("4:30pm"), "2026-05-26T16:30:00-04:00");
  EXPECT_EQ(callback("around 4.30 p.m."), "2026-05-26T16:30:00-04:00");
  EXPECT_EQ(callback("at 4:30 p.m."), "2026-05-26T16:30:00-04:00");
  EXPECT_EQ(callback("noon"), "2026-05-26T12:00:00-04:00");
  EXPECT_EQ(callback("09:00"), "2026-05-27T09:00:00-04:00");  // leading zero: 24-hour
  EXPECT_EQ(callback("12 am"), "2026-05-27T00:00:00-04:00");
}

TEST(CallbackTime, NamedDaysAndPartsOfTheDay) {
  EXPECT_EQ(callback("tomorrow"), "2026-05-27T09:00:00-04:00");
  EXPECT_EQ(callback("Friday afternoon"), "2026-05-29T14:00:00-04:00");
  EXPECT_EQ(callback("tonight"), "2026-05-26T20:00:00-04:00");
  EXPECT_EQ(callback("Thursday at 3"), "2026-05-28T15:00:00-04:00");   // 1-6 on a day: PM
  EXPECT_EQ(callback("Thursday at 10"), "2026-05-28T10:00:00-04:00");  // 7-11 on a day: AM
  EXPECT_EQ(callback("the day after tomorrow 11am"), "2026-05-28T11:00:00-04:00");
  EXPECT_EQ(callback("5th June 2pm"), "2026-06-05T14:00:00-04:00");
  EXPECT_EQ(callback("Jan 3 10am"), "2027-01-03T10:00:00-05:00");  // next year, EST
}

TEST(CallbackTime, DayMonthUnlessImpossible) {
  EXPECT_EQ(callback("13/06/2026 16:30"), "2026-06-13T16:30:00-04:00");
  EXPECT_EQ(callback("06/13/2026 4:30 pm"), "2026-06-13T16:30:00-04:00");
  EXPECT_EQ(callback("31/02/2026 10:00"), "unreadable");
}

TEST(CallbackTime, RelativeAndAbsolute) {
  EXPECT_EQ(callback("in 2 hours"), "2026-05-26T11:00:00-04:00");
  EXPECT_EQ(callback("in 45 minutes"), "2026-05-26T09:45:00-04:00");
  EXPECT_EQ(callback("2026-05-26T20:00:00Z"), "2026-05-26T16:00:00-04:00");
}

TEST(CallbackTime, AlwaysInTheFutureOrUnreadable) {
  EXPECT_EQ(callback("2026-01-05 10:00"), "unreadable");
  EXPECT_EQ(callback("2026-05-26T12:00:00Z"), "unreadable");
  EXPECT_EQ(callback("not interested"), "unreadable");
  EXPECT_EQ(callback(""), "unreadable");
  EXPECT_EQ(callback("25:00"), "unreadable");
  EXPECT_EQ(callback("15 pm"), "unreadable");
  EXPECT_EQ(callback("June"), "unreadable");
  EXPECT_EQ(callback("pm"), "unreadable");
  EXPECT_EQ(callback("call 555-0100"), "unreadable");
}

TEST(CallbackTime, ReadInTheLeadsZone) {
  const auto sydney = *util::TimeZone::find("Australia/Sydney");
  // 13:00Z is 23:00 in Sydney: "3 PM" is tomorrow there.
  EXPECT_EQ(callback("3 PM", kNow, sydney), "2026-05-27T15:00:00+10:00");
}

TEST(CallbackTime, AcrossADaylightSavingChange) {
  // Saturday 2026-03-07 10:00 EST; "tomorrow 10 AM" is after the spring-forward night.
  const util::Millis before = *util::parse_iso("2026-03-07T15:00:00Z");
  EXPECT_EQ(callback("tomorrow 10 AM", before), "2026-03-08T10:00:00-04:00");
}

}  // namespace
}  // namespace leadline::domain
