#include "domain/config_fields.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

TEST(ConfigFields, ProblemsNameTheFieldUnderConfig) {
  ConfigProblems problems;
  problems.add("agent_id", "is required");
  problems.add("", "must be an object");
  EXPECT_EQ(problems.take(),
            (std::vector<std::string>{"config.agent_id is required", "config must be an object"}));
}

TEST(ConfigFields, NullReadsAsAbsent) {
  Json config = {{"a", nullptr}, {"b", 1}};
  EXPECT_EQ(config_field(config, "a"), nullptr);
  EXPECT_EQ(config_field(config, "missing"), nullptr);
  ASSERT_NE(config_field(config, "b"), nullptr);
  EXPECT_EQ(*config_field(config, "b"), 1);
  EXPECT_EQ(config_field(Json::array(), "a"), nullptr);
}

TEST(ConfigFields, ReadsIntegersIncludingIntegralDoubles) {
  EXPECT_EQ(as_integer(Json(3)), 3);
  EXPECT_EQ(as_integer(Json(-2)), -2);
  EXPECT_EQ(as_integer(Json(3.0)), 3);
  EXPECT_EQ(as_integer(Json(3.5)), std::nullopt);
  EXPECT_EQ(as_integer(Json("3")), std::nullopt);
  EXPECT_EQ(as_integer(Json(true)), std::nullopt);
  EXPECT_EQ(as_integer(Json(std::uint64_t(1) << 63)), std::nullopt);
}

TEST(ConfigFields, ReadsNumbersButNotBooleansOrStrings) {
  EXPECT_EQ(as_number(Json(2.5)), 2.5);
  EXPECT_EQ(as_number(Json(4)), 4.0);
  EXPECT_EQ(as_number(Json(false)), std::nullopt);
  EXPECT_EQ(as_number(Json("1")), std::nullopt);
}

TEST(ConfigFields, RequireStringReportsMissingAndBlank) {
  ConfigProblems problems;
  Json config = {{"blank", "  "}, {"number", 7}, {"ok", "x"}};
  require_string(config, "missing", "missing", problems);
  require_string(config, "blank", "blank", problems);
  require_string(config, "number", "number", problems);
  require_string(config, "ok", "ok", problems);
  EXPECT_EQ(problems.take(),
            (std::vector<std::string>{"config.missing is required",
                                      "config.blank must be a non-empty string",
                                      "config.number must be a non-empty string"}));
}

TEST(ConfigFields, AcceptsOnlyE164Numbers) {
  EXPECT_TRUE(is_e164("+14155550100"));
  EXPECT_TRUE(is_e164("+919876543210"));
  EXPECT_TRUE(is_e164("+12345678"));         // 8 digits
  EXPECT_TRUE(is_e164("+123456789012345"));  // 15 digits
  EXPECT_FALSE(is_e164("+1234567"));         // 7 digits
  EXPECT_FALSE(is_e164("+1234567890123456"));
  EXPECT_FALSE(is_e164("14155550100"));
  EXPECT_FALSE(is_e164("+04155550100"));
  EXPECT_FALSE(is_e164("+1 415 555 0100"));
  EXPECT_FALSE(is_e164("+1415555010a"));
  EXPECT_FALSE(is_e164(""));
}

TEST(ConfigFields, AcceptsOnlyHttpUrlsWithAHost) {
  EXPECT_TRUE(is_http_url("https://hooks.example.com/x?y=1"));
  EXPECT_TRUE(is_http_url("http://localhost:8080"));
  EXPECT_TRUE(is_http_url("HTTPS://EXAMPLE.COM"));
  EXPECT_TRUE(is_http_url("http://user:pw@host/path"));
  EXPECT_TRUE(is_http_url("http://[::1]:9000/"));
  EXPECT_TRUE(is_http_url("https://api.example.com/leads/{{lead_id}}"));
  EXPECT_FALSE(is_http_url("ftp://example.com"));
  EXPECT_FALSE(is_http_url("example.com"));
  EXPECT_FALSE(is_http_url("https://"));
  EXPECT_FALSE(is_http_url("https:///path"));
  EXPECT_FALSE(is_http_url("http://:80/"));
  EXPECT_FALSE(is_http_url("http://exa mple.com"));
  EXPECT_FALSE(is_http_url("http://[]/"));
}

TEST(ConfigFields, JoinsAndMatchesNamesIgnoringCase) {
  constexpr std::array<std::string_view, 3> kNames{"GET", "POST", "PUT"};
  EXPECT_EQ(join_names(kNames), "GET, POST, PUT");
  EXPECT_TRUE(is_one_of("post", kNames));
  EXPECT_FALSE(is_one_of("PATCH", kNames));
}

}  // namespace
}  // namespace leadline::domain
