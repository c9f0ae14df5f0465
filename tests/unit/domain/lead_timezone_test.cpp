#include "domain/lead_timezone.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

std::pair<std::string, std::string> resolve(const Json& variables, std::string_view phone,
                                            const Json& settings = Json::object()) {
  auto tz = resolve_lead_timezone(variables, phone, settings);
  return {tz.zone.name(), tz.source};
}

TEST(LeadTimezone, TheLeadsOwnVariableComesFirst) {
  EXPECT_EQ(resolve({{"timezone", "Asia/Tokyo"}}, "+14155550100", {{"timezone", "Europe/Paris"}}),
            (std::pair<std::string, std::string>{"Asia/Tokyo", "lead_variable"}));
}

TEST(LeadTimezone, ThenThePhoneNumber) {
  // An unknown zone name in the variable is ignored rather than trusted.
  EXPECT_EQ(resolve({{"timezone", "Mars/Base"}}, "+14155550100"),
            (std::pair<std::string, std::string>{"America/Los_Angeles", "phone_number"}));
  EXPECT_EQ(resolve(Json::object(), "+61291234567"),
            (std::pair<std::string, std::string>{"Australia/Sydney", "phone_number"}));
  EXPECT_EQ(resolve(Json::object(), "+442079460958", {{"timezone", "America/New_York"}}),
            (std::pair<std::string, std::string>{"Europe/London", "phone_number"}));
}

TEST(LeadTimezone, ThenTheWorkflowThenUtc) {
  // An Australian mobile number does not tell which of Australia's zones.
  EXPECT_EQ(resolve(Json::object(), "+61412345678", {{"timezone", "Australia/Perth"}}),
            (std::pair<std::string, std::string>{"Australia/Perth", "workflow_settings"}));
  EXPECT_EQ(resolve(Json::object(), "+61412345678"),
            (std::pair<std::string, std::string>{"Etc/UTC", "default"}));
}

}  // namespace
}  // namespace leadline::domain
