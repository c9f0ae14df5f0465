#include "domain/text.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

TEST(Text, ComparesIgnoringAsciiCase) {
  EXPECT_TRUE(iequals("No_Answer", "NO_ANSWER"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("BUSY", "BUSY "));
  EXPECT_FALSE(iequals("DNP", "DNQ"));
}

TEST(Text, TrimsWhitespaceBothEnds) {
  EXPECT_EQ(trim("  a b \t\n"), "a b");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(Text, ChangesCase) {
  EXPECT_EQ(to_lower("AbC_1"), "abc_1");
  EXPECT_EQ(to_upper("no_answer"), "NO_ANSWER");
}

}  // namespace
}  // namespace leadline::domain
