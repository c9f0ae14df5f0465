#include "domain/contact_caps.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

constexpr util::Millis kHour = 3'600'000;
constexpr util::Millis kNow = 1'700'000'000'000;

std::vector<std::string> check(const Json& value) {
  ConfigProblems problems("settings");
  check_contact_caps(value, "contact_caps", problems);
  return problems.take();
}

ContactCap cap(int calls, int hours) { return ContactCap{calls, hours, "workflow"}; }

TEST(ContactCap, AcceptsNullEmptyAndGoodCaps) {
  EXPECT_TRUE(check(nullptr).empty());
  EXPECT_TRUE(check(Json::array()).empty());
  EXPECT_TRUE(check(Json::parse(R"([{"calls": 3, "hours": 24}, {"calls": 1000, "hours": 720},
                                    {"calls": 1, "hours": 1.0}])"))
                  .empty());
}

TEST(ContactCap, RejectsWhatIsNotAnArrayOfObjects) {
  const std::vector<std::string> not_array{
      "settings.contact_caps must be null or an array of caps like {\"calls\": 3, \"hours\": 24}"};
  EXPECT_EQ(check(Json::object()), not_array);
  EXPECT_EQ(check(3), not_array);
  EXPECT_EQ(check("3 per day"), not_array);
  EXPECT_EQ(check(Json::parse(R"([{"calls": 3, "hours": 24}, 5, null])")),
            (std::vector<std::string>{
                "settings.contact_caps[1] must be an object like {\"calls\": 3, \"hours\": 24}",
                "settings.contact_caps[2] must be an object like {\"calls\": 3, \"hours\": 24}"}));
}

TEST(ContactCap, ReportsMissingAndOutOfRangeNumbers) {
  EXPECT_EQ(check(Json::parse(R"([{}])")),
            (std::vector<std::string>{"settings.contact_caps[0].calls is required",
                                      "settings.contact_caps[0].hours is required"}));
  EXPECT_EQ(check(Json::parse(R"([{"calls": 0, "hours": 721}])")),
            (std::vector<std::string>{
                "settings.contact_caps[0].calls must be an integer from 1 to 1000",
                "settings.contact_caps[0].hours must be an integer from 1 to 720"}));
  EXPECT_EQ(check(Json::parse(R"([{"calls": 1001, "hours": 0}])")),
            (std::vector<std::string>{
                "settings.contact_caps[0].calls must be an integer from 1 to 1000",
                "settings.contact_caps[0].hours must be an integer from 1 to 720"}));
  EXPECT_EQ(check(Json::parse(R"([{"calls": 2.5, "hours": "24"}])")),
            (std::vector<std::string>{
                "settings.contact_caps[0].calls must be an integer from 1 to 1000",
                "settings.contact_caps[0].hours must be an integer from 1 to 720"}));
  EXPECT_EQ(check(Json::parse(R"([{"calls": -3, "hours": true}])")),
            (std::vector<std::string>{
                "settings.contact_caps[0].calls must be an integer from 1 to 1000",
                "settings.contact_caps[0].hours must be an integer from 1 to 720"}));
}

TEST(ContactCap, RejectsExtraKeys) {
  EXPECT_EQ(check(Json::parse(R"([{"calls": 3, "hours": 24, "days": 1}])")),
            std::vector<std::string>{
                "settings.contact_caps[0].days is not a cap setting (calls, hours)"});
}

TEST(ContactCap, RejectsMoreThanTenCaps) {
  Json ten = Json::array();
  for (int i = 0; i < 10; ++i) ten.push_back({{"calls", i + 1}, {"hours", 24}});
  EXPECT_TRUE(check(ten).empty());
  Json eleven = ten;
  eleven.push_back({{"calls", 3}, {"hours", 24}});
  EXPECT_EQ(check(eleven),
            std::vector<std::string>{"settings.contact_caps may hold at most 10 caps"});
}

TEST(ContactCap, ParsesCapsWithTheirSource) {
  auto caps = parse_contact_caps(
      Json::parse(R"([{"calls": 3, "hours": 24}, {"calls": 10.0, "hours": 168}])"), "state:FL");
  ASSERT_EQ(caps.size(), 2u);
  EXPECT_EQ(caps[0].calls, 3);
  EXPECT_EQ(caps[0].hours, 24);
  EXPECT_EQ(caps[0].source, "state:FL");
  EXPECT_EQ(caps[1].calls, 10);
  EXPECT_EQ(caps[1].hours, 168);
  EXPECT_EQ(caps[1].source, "state:FL");
  EXPECT_TRUE(parse_contact_caps(nullptr, "workflow").empty());
  EXPECT_TRUE(parse_contact_caps(Json::object(), "workflow").empty());
  EXPECT_EQ(parse_contact_caps(
                Json::parse(R"([{"calls": 0, "hours": 24}, {"calls": 2, "hours": 1}])"), "workflow")
                .size(),
            1u);
}

TEST(ContactCap, DescribesTheNumbers) {
  EXPECT_EQ(cap(3, 24).describe(), "3 calls per 24 hours");
  EXPECT_EQ(cap(1, 1).describe(), "1 call per 1 hour");
  EXPECT_EQ(cap(1, 720).describe(), "1 call per 720 hours");
  EXPECT_EQ(cap(2, 1).describe(), "2 calls per 1 hour");
}

TEST(ContactCap, LongestWindowInMillis) {
  EXPECT_EQ(longest_cap_window({}), 0);
  EXPECT_EQ(longest_cap_window({cap(3, 24), cap(10, 168), cap(1, 1)}), 168 * kHour);
}

TEST(ContactCap, AllowsWhileFewerContactsThanTheCap) {
  EXPECT_FALSE(cap_wait({cap(3, 24)}, {}, kNow));
  EXPECT_FALSE(cap_wait({cap(3, 24)}, {kNow - 2 * kHour, kNow - kHour}, kNow));
  EXPECT_FALSE(cap_wait({}, {kNow - 2 * kHour, kNow - kHour, kNow}, kNow));
}

TEST(ContactCap, AtTheCapWaitsUntilTheOldestLeavesTheWindow) {
  auto wait = cap_wait({cap(3, 24)}, {kNow - 5 * kHour, kNow - 3 * kHour, kNow - kHour}, kNow);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->cap.describe(), "3 calls per 24 hours");
  EXPECT_EQ(wait->cap.source, "workflow");
  EXPECT_EQ(wait->calls_in_window, 3);
  EXPECT_EQ(wait->until, kNow + 19 * kHour);
  // At that moment the oldest is exactly 24 hours old: it has left, so the call is allowed.
  EXPECT_FALSE(
      cap_wait({cap(3, 24)}, {kNow - 5 * kHour, kNow - 3 * kHour, kNow - kHour}, wait->until));
  EXPECT_TRUE(
      cap_wait({cap(3, 24)}, {kNow - 5 * kHour, kNow - 3 * kHour, kNow - kHour}, wait->until - 1));
}

TEST(ContactCap, AContactExactlyHoursOldHasLeft) {
  const std::vector<util::Millis> contacts{kNow - 24 * kHour, kNow - kHour};
  EXPECT_FALSE(cap_wait({cap(2, 24)}, contacts, kNow));
  auto wait = cap_wait({cap(2, 24)}, {kNow - 24 * kHour + 1, kNow - kHour}, kNow);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->calls_in_window, 2);
  EXPECT_EQ(wait->until, kNow + 1);
}

TEST(ContactCap, OverTheCapWaitsForEnoughToLeave) {
  // Five in the window of a cap of two (a cap lowered after the calls were made): the call
  // is allowed once four have left, at the fourth oldest's time + hours.
  auto wait = cap_wait({cap(2, 10)},
                       {kNow - 9 * kHour, kNow - 7 * kHour, kNow - 5 * kHour, kNow - 3 * kHour,
                        kNow - kHour, kNow - 30 * kHour},
                       kNow);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->calls_in_window, 5);
  EXPECT_EQ(wait->until, kNow + 7 * kHour);
}

TEST(ContactCap, UnsortedContactsAndOnesFromTheFuture) {
  auto wait = cap_wait({cap(3, 24)}, {kNow - kHour, kNow + 5 * kHour, kNow - 6 * kHour}, kNow);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->calls_in_window, 3);
  EXPECT_EQ(wait->until, kNow + 18 * kHour);
  // A contact stamped after now counts at now, so it holds the last call for a full window.
  auto one = cap_wait({cap(1, 2)}, {kNow + 5 * kHour}, kNow);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->until, kNow + 2 * kHour);
}

TEST(ContactCap, TheLatestLiftAmongSeveralCapsWins) {
  const std::vector<util::Millis> contacts{kNow - 100 * kHour, kNow - 20 * kHour, kNow - 2 * kHour,
                                           kNow - kHour};
  const ContactCap daily{3, 24, "state:FL"};
  const ContactCap weekly{4, 168, "workflow"};
  const ContactCap hourly{2, 3, "organization"};
  // daily lifts at -20h + 24h = +4h; weekly at -100h + 168h = +68h; hourly at -2h + 3h = +1h.
  for (const auto& caps : {std::vector{daily, weekly, hourly}, std::vector{weekly, hourly, daily},
                           std::vector{hourly, daily, weekly}}) {
    auto wait = cap_wait(caps, contacts, kNow);
    ASSERT_TRUE(wait);
    EXPECT_EQ(wait->cap.source, "workflow");
    EXPECT_EQ(wait->calls_in_window, 4);
    EXPECT_EQ(wait->until, kNow + 68 * kHour);
  }
  // Without the weekly cap the daily one holds the call longest.
  auto wait = cap_wait({hourly, daily}, contacts, kNow);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->cap.source, "state:FL");
  EXPECT_EQ(wait->calls_in_window, 3);
  EXPECT_EQ(wait->until, kNow + 4 * kHour);
  // A cap that allows the call does not hide one that does not.
  auto only_hourly = cap_wait({cap(10, 24), hourly}, contacts, kNow);
  ASSERT_TRUE(only_hourly);
  EXPECT_EQ(only_hourly->cap.source, "organization");
  EXPECT_EQ(only_hourly->until, kNow + kHour);
}

TEST(ContactCap, OnATieTheFirstCapIsReported) {
  auto wait = cap_wait({ContactCap{1, 5, "workflow"}, ContactCap{1, 5, "organization"}},
                       {kNow - kHour}, kNow);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->cap.source, "workflow");
}

TEST(ContactCap, IgnoresCapsOutsideTheCheckedRanges) {
  EXPECT_FALSE(cap_wait({cap(0, 24), cap(3, 0), cap(-1, -1)}, {kNow - kHour}, kNow));
}

}  // namespace
}  // namespace leadline::domain
