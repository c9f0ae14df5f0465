#include "util/json_writer.h"

#include <gtest/gtest.h>

namespace leadline::util {
namespace {

std::string written(std::string_view text) {
  std::string out = "x";
  append_json_string(out, text);
  return out.substr(1);
}

TEST(JsonWriter, WritesStringsAsJsonDumpDoes) {
  static constexpr char kWithNul[] = "nul \0 and \x1f unit separator";
  const std::string samples[] = {"",
                                 "plain",
                                 "quote \" and backslash \\",
                                 "tab\tnew line\ncarriage\rback\bfeed\f",
                                 std::string(kWithNul, sizeof kWithNul - 1),
                                 "del \x7f stays",
                                 "Jos\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e",
                                 "broken \xe9 Latin-1",
                                 "cut \xe2\x82"};
  for (const auto& text : samples)
    EXPECT_EQ(written(text), Json(text).dump(-1, ' ', false, Json::error_handler_t::replace))
        << text;
}

TEST(JsonWriter, AppendsAfterWhatIsThere) {
  std::string out = "{\"a\":";
  append_json(out, Json{{"b", {1, "two", nullptr}}});
  out += '}';
  EXPECT_EQ(Json::parse(out), Json::parse(R"({"a":{"b":[1,"two",null]}})"));
  EXPECT_EQ(written("\x01"), "\"\\u0001\"");
}

}  // namespace
}  // namespace leadline::util
