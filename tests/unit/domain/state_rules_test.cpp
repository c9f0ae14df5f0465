#include "domain/state_rules.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

std::string code_for(std::string_view e164) {
  const StateRule* rule = state_rule_for(e164);
  return rule == nullptr ? "none" : rule->code;
}

TEST(StateRules, PackIsVersionedAndInCodeOrder) {
  EXPECT_EQ(kStateRulesVersion, "2024.1");
  const auto& rules = state_rules();
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].code, "FL");
  EXPECT_EQ(rules[1].code, "MD");
  EXPECT_EQ(rules[2].code, "OK");
  EXPECT_EQ(&state_rules(), &rules);  // built once
}

TEST(StateRules, EveryRuleIsEightToEightAndThreeCallsPerDay) {
  for (const StateRule& rule : state_rules()) {
    SCOPED_TRACE(rule.code);
    EXPECT_EQ(rule.hours.describe(), "08:00-20:00 every day");
    ASSERT_TRUE(rule.cap);
    EXPECT_EQ(rule.cap->describe(), "3 calls per 24 hours");
    EXPECT_EQ(rule.cap->source, "state:" + rule.code);
    EXPECT_FALSE(rule.name.empty());
    EXPECT_FALSE(rule.law.empty());
    EXPECT_EQ(rule.effective.size(), 10u);
    EXPECT_EQ(rule.source_url.rfind("http", 0), 0u);
  }
}

TEST(StateRules, DescribesEachLaw) {
  const StateRule* fl = state_rule_for("+13055550100");
  ASSERT_NE(fl, nullptr);
  EXPECT_EQ(fl->name, "Florida");
  EXPECT_EQ(fl->effective, "2021-07-01");
  EXPECT_NE(fl->law.find("501.616"), std::string::npos);
  const StateRule* ok = state_rule_for("+19185550100");
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->name, "Oklahoma");
  EXPECT_EQ(ok->effective, "2022-11-01");
  EXPECT_NE(ok->law.find("775C.1"), std::string::npos);
  const StateRule* md = state_rule_for("+14105550100");
  ASSERT_NE(md, nullptr);
  EXPECT_EQ(md->name, "Maryland");
  EXPECT_EQ(md->effective, "2024-01-01");
  EXPECT_NE(md->law.find("14-4501"), std::string::npos);
}

TEST(StateRules, FindsTheStateOfMiamiTulsaAndBaltimoreNumbers) {
  EXPECT_EQ(code_for("+13055550123"), "FL");  // Miami
  EXPECT_EQ(code_for("+19185550123"), "OK");  // Tulsa
  EXPECT_EQ(code_for("+14105550123"), "MD");  // Baltimore
}

// A second record of the table: a change to either must be made on purpose.
TEST(StateRules, CoversEveryAreaCodeIncludingOverlays) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected{
      {"FL", {"239", "305", "321", "324", "352", "386", "407", "448", "561", "645", "656", "689",
              "727", "728", "754", "772", "786", "813", "850", "863", "904", "941", "954"}},
      {"OK", {"405", "539", "572", "580", "918"}},
      {"MD", {"227", "240", "301", "410", "443", "667"}}};
  int mapped = 0;
  for (const auto& [code, area_codes] : expected) {
    for (const std::string& npa : area_codes) {
      EXPECT_EQ(code_for("+1" + npa + "2345678"), code) << npa;
    }
  }
  for (int npa = 200; npa <= 999; ++npa) {
    if (code_for("+1" + std::to_string(npa) + "2345678") != "none") ++mapped;
  }
  EXPECT_EQ(mapped, 23 + 5 + 6);
}

TEST(StateRules, OtherNumbersHaveNoRule) {
  EXPECT_EQ(state_rule_for("+12125550123"), nullptr);   // New York
  EXPECT_EQ(state_rule_for("+14165550123"), nullptr);   // Toronto
  EXPECT_EQ(state_rule_for("+16045550123"), nullptr);   // Vancouver
  EXPECT_EQ(state_rule_for("+442079460123"), nullptr);  // London
  EXPECT_EQ(state_rule_for("+3305550123"), nullptr);    // France, not +1 305
}

TEST(StateRules, MalformedNumbersHaveNoRule) {
  for (std::string_view text :
       {"", "+", "+1", "+1305", "+130555501", "+1305555012", "+130555501234", "13055550123",
        "+1 305 555 0123", "+1(305)5550123", "+1305555012x", "+11305550123", "+13051550123",
        "305-555-0123", "+23055550123"}) {
    EXPECT_EQ(state_rule_for(text), nullptr) << text;
  }
}

}  // namespace
}  // namespace leadline::domain
