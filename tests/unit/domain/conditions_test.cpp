#include "domain/conditions.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

class Conditions : public ::testing::Test {
 protected:
  Json call_ = Json::parse(R"({
      "status": "completed", "outcome": "COMPLETED", "end_reason": "agent_hangup",
      "duration_seconds": 42,
      "postcall_analysis": {"interested": true, "budget": "5000", "city": "Pune",
                            "slots": {"day": "Friday"}}})");
  Json variables_ = Json::parse(R"({"name": "Priya", "city": "Mumbai", "score": "7",
                                    "blank": "  "})");
  Json app_ = Json::parse(R"({"status": "success",
      "response": {"deal": {"stage": "won", "amount": 1200.5}, "tags": ["a", "b"]}})");
  ConditionContext context_{&call_, &variables_, 3, &app_};

  std::optional<std::string> field(std::string_view name) const {
    return lookup_field(context_, name);
  }
  std::string eval(const std::string& json) const {
    return evaluate_conditional(Json::parse(json), context_);
  }
  bool op(std::string_view name, std::optional<std::string> actual, Json expected) const {
    return evaluate_operator(name, actual, expected);
  }
};

TEST_F(Conditions, LooksUpCallFields) {
  EXPECT_EQ(field("call_status"), "COMPLETED");
  EXPECT_EQ(field("call.status"), "COMPLETED");
  EXPECT_EQ(field("call.end_reason"), "agent_hangup");
  EXPECT_EQ(field("call.duration"), "42");
  EXPECT_EQ(field("call.attempts"), "3");
}

TEST_F(Conditions, ReadsCallStatusOfACallWithoutOutcome) {
  call_.erase("outcome");
  call_["status"] = "queued";
  EXPECT_EQ(field("call_status"), "QUEUED");
}

TEST_F(Conditions, LooksUpAnalysisLeadAndAppFields) {
  EXPECT_EQ(field("postcall_analysis.interested"), "true");
  EXPECT_EQ(field("postcall_analysis.slots.day"), "Friday");
  EXPECT_EQ(field("lead.name"), "Priya");
  EXPECT_EQ(field("lead.city"), "Mumbai");
  EXPECT_EQ(field("app.status"), "success");
  EXPECT_EQ(field("app.response.deal.stage"), "won");
  EXPECT_EQ(field("app.response.deal.amount"), "1200.5");
  EXPECT_EQ(field("app.response.tags.1"), "b");
  EXPECT_EQ(field("app.response.tags"), R"(["a","b"])");
}

TEST_F(Conditions, BareNamesPreferTheCallAnalysis) {
  EXPECT_EQ(field("city"), "Pune");
  EXPECT_EQ(field("budget"), "5000");
  EXPECT_EQ(field("name"), "Priya");
  EXPECT_EQ(field("nothing"), std::nullopt);
}

TEST_F(Conditions, MissingSourcesGiveMissingFields) {
  ConditionContext empty;
  EXPECT_EQ(lookup_field(empty, "call_status"), std::nullopt);
  EXPECT_EQ(lookup_field(empty, "call.duration"), std::nullopt);
  EXPECT_EQ(lookup_field(empty, "call.attempts"), "0");
  EXPECT_EQ(lookup_field(empty, "postcall_analysis.x"), std::nullopt);
  EXPECT_EQ(lookup_field(empty, "lead.name"), std::nullopt);
  EXPECT_EQ(lookup_field(empty, "app.status"), std::nullopt);
  EXPECT_EQ(lookup_field(empty, "app.response.deal"), std::nullopt);
  EXPECT_EQ(lookup_field(empty, "name"), std::nullopt);
  EXPECT_EQ(field("app.response.tags.9"), std::nullopt);
  EXPECT_EQ(field("lead.unknown"), std::nullopt);
}

TEST_F(Conditions, EqualityIgnoresCaseAndSpaceAndComparesNumbers) {
  EXPECT_TRUE(op("equals", " completed ", "COMPLETED"));
  EXPECT_TRUE(op("equals", "42", 42.0));
  EXPECT_TRUE(op("equals", "1e3", "1000"));
  EXPECT_TRUE(op("equals", "true", true));
  EXPECT_FALSE(op("equals", "Mumbai", "Pune"));
  EXPECT_TRUE(op("not_equals", "Mumbai", "Pune"));
  EXPECT_FALSE(op("not_equals", "7.0", 7));
}

TEST_F(Conditions, ContainsIgnoresCase) {
  EXPECT_TRUE(op("contains", "Call me on Friday", "friday"));
  EXPECT_FALSE(op("contains", "Monday", "friday"));
  EXPECT_TRUE(op("not_contains", "Monday", "friday"));
  EXPECT_FALSE(op("not_contains", "FRIDAY", "Fri"));
}

TEST_F(Conditions, ExistsMeansPresentAndNotBlank) {
  EXPECT_TRUE(op("exists", "x", nullptr));
  EXPECT_FALSE(op("exists", "  ", nullptr));
  EXPECT_TRUE(op("not_exists", "", nullptr));
  EXPECT_FALSE(op("not_exists", "x", nullptr));
}

TEST_F(Conditions, ComparesNumbersNumericallyAndTextLexically) {
  EXPECT_TRUE(op("greater_than", "10", 9));
  EXPECT_FALSE(op("greater_than", "9", "10"));
  EXPECT_TRUE(op("less_than", "-1.5", "0"));
  EXPECT_FALSE(op("less_than", "5", 5));
  EXPECT_TRUE(op("greater_than", "b", "A"));  // text, case-insensitive
  EXPECT_TRUE(op("less_than", "9", "abc"));   // one side is not a number: text
}

TEST_F(Conditions, MissingFieldsFollowTheSpecTable) {
  const std::optional<std::string> missing;
  EXPECT_FALSE(op("equals", missing, "x"));
  EXPECT_TRUE(op("not_equals", missing, "x"));
  EXPECT_FALSE(op("contains", missing, "x"));
  EXPECT_TRUE(op("not_contains", missing, "x"));
  EXPECT_FALSE(op("exists", missing, nullptr));
  EXPECT_TRUE(op("not_exists", missing, nullptr));
  EXPECT_FALSE(op("greater_than", missing, 1));
  EXPECT_FALSE(op("less_than", missing, 1));
}

TEST_F(Conditions, OperatorNamesIgnoreCaseAndUnknownOnesFail) {
  EXPECT_TRUE(op("EQUALS", "a", "a"));
  EXPECT_FALSE(op("matches", "a", "a"));
}

TEST_F(Conditions, AndNeedsEveryCondition) {
  EXPECT_EQ(eval(R"({"logic": "AND", "conditions": [
      {"field": "call_status", "operator": "equals", "value": "completed"},
      {"field": "call.duration", "operator": "greater_than", "value": 30}]})"),
            "true");
  EXPECT_EQ(eval(R"({"conditions": [
      {"field": "call_status", "operator": "equals", "value": "completed"},
      {"field": "call.duration", "operator": "greater_than", "value": 60}]})"),
            "false");
}

TEST_F(Conditions, OrNeedsAnyCondition) {
  EXPECT_EQ(eval(R"({"logic": "or", "conditions": [
      {"field": "lead.city", "operator": "equals", "value": "Delhi"},
      {"field": "postcall_analysis.interested", "operator": "equals", "value": true}]})"),
            "true");
  EXPECT_EQ(eval(R"({"logic": "OR", "conditions": [
      {"field": "lead.city", "operator": "equals", "value": "Delhi"},
      {"field": "missing", "operator": "exists"}]})"),
            "false");
}

TEST_F(Conditions, EmptyConditionsAreFalse) {
  EXPECT_EQ(eval(R"({"logic": "AND", "conditions": []})"), "false");
}

TEST_F(Conditions, BranchFormReturnsTheBranchAsWritten) {
  EXPECT_EQ(eval(R"({"condition_field": "call_status", "branches": ["Busy", "Completed"]})"),
            "Completed");
  EXPECT_EQ(eval(R"({"condition_field": "lead.city", "branches": ["Pune", "Delhi"]})"), "default");
  EXPECT_EQ(eval(R"({"condition_field": "lead.nothing", "branches": ["x"]})"), "default");
}

}  // namespace
}  // namespace leadline::domain
