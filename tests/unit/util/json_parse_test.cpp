#include "util/json_parse.h"

#include <gtest/gtest.h>

#include <string>

namespace leadline::util {
namespace {

std::string problem_of(std::string_view text, JsonLimits limits = {}) {
  std::string problem;
  EXPECT_FALSE(parse_json(text, limits, &problem).has_value()) << text;
  return problem;
}

TEST(JsonParse, ParsesWhatIsWithinTheLimits) {
  auto parsed = parse_json(R"({"a": [1, {"b": "x"}], "c": null})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ((*parsed)["a"][1]["b"], "x");
  EXPECT_TRUE(parse_json(std::string(64, '[') + std::string(64, ']')));
}

TEST(JsonParse, RefusesDeepNestingWithoutRecursing) {
  // 200,000 levels overflowed the stack of the server before the limit.
  const std::string deep = "{\"settings\": " + std::string(200'000, '[');
  EXPECT_EQ(problem_of(deep), "JSON nests deeper than 64 levels");
  EXPECT_EQ(problem_of(std::string(65, '[') + std::string(65, ']')),
            "JSON nests deeper than 64 levels");
  EXPECT_EQ(problem_of(std::string(200'000, '{')), "JSON nests deeper than 64 levels");
}

TEST(JsonParse, BracketsAndCommasInsideStringsDoNotCount) {
  const std::string text = "{\"a\": \"" + std::string(100, '[') + ",,,\\\"]]\\\\\", \"b\": 1}";
  auto parsed = parse_json(text, {.max_depth = 2, .max_object_members = 2});
  ASSERT_TRUE(parsed) << text;
  EXPECT_EQ((*parsed)["b"], 1);
}

TEST(JsonParse, RefusesObjectsWithTooManyMembers) {
  std::string wide = "{";
  for (int i = 0; i < 1001; ++i) wide += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  wide += "}";
  EXPECT_EQ(problem_of(wide), "a JSON object has more than 1000 members");
  EXPECT_TRUE(parse_json(wide, {.max_depth = 4, .max_object_members = 1001}));
  // Arrays may be long (bulk enrolment).
  std::string long_array = "[";
  for (int i = 0; i < 5000; ++i) long_array += (i ? ",1" : "1");
  EXPECT_TRUE(parse_json(long_array + "]"));
}

TEST(JsonParse, ReportsMalformedJson) {
  EXPECT_EQ(problem_of("{\"a\": }"), "malformed JSON");
  EXPECT_EQ(problem_of("{\"name\": \"Jos\xe9\"}"), "malformed JSON");  // not UTF-8
}

TEST(JsonParse, KeepsAnyAnswerAsValidText) {
  EXPECT_EQ(parse_json_or_text("{\"ok\": true}")["ok"], true);
  EXPECT_EQ(parse_json_or_text("plain text"), "plain text");
  EXPECT_EQ(parse_json_or_text(std::string(100, '[')), std::string(100, '['));
  const Json latin1 = parse_json_or_text("Jos\xe9");
  EXPECT_EQ(latin1, "Jos\xEF\xBF\xBD");
  EXPECT_NO_THROW((void)latin1.dump());  // storable
}

}  // namespace
}  // namespace leadline::util
