#include "util/timezone.h"

#include <gtest/gtest.h>

#include "util/phone_timezone.h"

namespace leadline::util {
namespace {

Millis at(std::string_view iso) { return *parse_iso(iso); }

TEST(TimeZone, ConvertsBothWays) {
  auto ny = *TimeZone::find("America/New_York");
  auto local = ny.to_local(at("2026-12-01T14:30:00Z"));
  EXPECT_EQ(local.date, (CivilDate{2026, 12, 1}));
  EXPECT_EQ(local.minute_of_day, 9 * 60 + 30);
  EXPECT_EQ(ny.from_local({2026, 12, 1}, 9 * 60 + 30), at("2026-12-01T14:30:00Z"));
  EXPECT_EQ(ny.format(at("2026-12-01T14:30:00Z")), "2026-12-01T09:30:00-05:00");
}

TEST(TimeZone, SpringForwardGapMovesToTheEndOfTheGap) {
  auto ny = *TimeZone::find("America/New_York");
  // 2026-03-08 02:00 EST jumps to 03:00 EDT; 02:30 never happens.
  EXPECT_EQ(ny.from_local({2026, 3, 8}, 2 * 60 + 30), at("2026-03-08T07:00:00Z"));
}

TEST(TimeZone, AutumnOverlapTakesTheEarlierInstant) {
  auto berlin = *TimeZone::find("Europe/Berlin");
  // 2026-10-25 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
  EXPECT_EQ(berlin.from_local({2026, 10, 25}, 2 * 60 + 30), at("2026-10-25T00:30:00Z"));
}

TEST(TimeZone, UnknownNamesAreRefused) {
  EXPECT_FALSE(TimeZone::find("Mars/Olympus").has_value());
  EXPECT_FALSE(TimeZone::find("").has_value());
  EXPECT_TRUE(is_known_timezone("UTC"));
  EXPECT_EQ(TimeZone::utc().to_local(0).date, (CivilDate{1970, 1, 1}));
}

TEST(CivilDate, Arithmetic) {
  EXPECT_EQ(add_days({2026, 12, 31}, 1), (CivilDate{2027, 1, 1}));
  EXPECT_EQ(add_days({2028, 3, 1}, -1), (CivilDate{2028, 2, 29}));
  EXPECT_EQ(weekday({2026, 11, 29}), 6);  // a Sunday
  EXPECT_EQ(weekday({2026, 11, 30}), 0);
  EXPECT_TRUE(is_valid_date(2028, 2, 29));
  EXPECT_FALSE(is_valid_date(2026, 2, 29));
  EXPECT_FALSE(is_valid_date(2026, 13, 1));
  EXPECT_EQ(format_date({2026, 6, 5}), "2026-06-05");
}

TEST(ZonesOfRegion, ComeFromTheTzDatabase) {
  EXPECT_EQ(zones_of_region("DE").front(), "Europe/Berlin");
  EXPECT_GT(zones_of_region("US").size(), 10u);
  EXPECT_TRUE(zones_of_region("XX").empty());
}

TEST(PhoneTimezone, SingleZoneRegions) {
  EXPECT_EQ(phone_timezone("+442079460958"), "Europe/London");
  EXPECT_EQ(phone_timezone("+919876543210"), "Asia/Kolkata");
  EXPECT_EQ(phone_timezone("+4930123456"), "Europe/Berlin");
}

TEST(PhoneTimezone, AreasOfMultiZoneCountries) {
  EXPECT_EQ(phone_timezone("+14155550123"), "America/Los_Angeles");  // San Francisco, CA
  EXPECT_EQ(phone_timezone("+12125550123"), "America/New_York");     // New York, NY
  EXPECT_EQ(phone_timezone("+13125550100"), "America/Chicago");      // Chicago, IL
  EXPECT_EQ(phone_timezone("+16025550100"), "America/Phoenix");      // Arizona
  EXPECT_EQ(phone_timezone("+18085550100"), "Pacific/Honolulu");
  EXPECT_EQ(phone_timezone("+16045550100"), "America/Vancouver");  // British Columbia
  EXPECT_EQ(phone_timezone("+14165550100"), "America/Toronto");    // Ontario
  EXPECT_EQ(phone_timezone("+61291234567"), "Australia/Sydney");
  EXPECT_EQ(phone_timezone("+61892345678"), "Australia/Perth");
  EXPECT_EQ(phone_timezone("+525512345678"), "America/Mexico_City");
}

TEST(PhoneTimezone, UnknownWhenTheNumberSaysTooLittle) {
  EXPECT_FALSE(phone_timezone("+61412345678").has_value());  // Australian mobile
  EXPECT_FALSE(phone_timezone("+79161234567").has_value());  // "Russia": eleven zones
  EXPECT_FALSE(phone_timezone("garbage").has_value());
}

}  // namespace
}  // namespace leadline::util
