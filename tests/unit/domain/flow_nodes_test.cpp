#include "domain/flow_nodes.h"

#include <gtest/gtest.h>

#include <map>

#include "domain/node_config.h"
#include "domain/outcomes.h"

namespace leadline::domain {
namespace {

std::vector<std::string> problems(NodeType type, const Json& config) {
  return validate_node_config(type, config);
}

TEST(WaitForEventConfig, AcceptsEventTypesAndOneTimeout) {
  EXPECT_TRUE(problems(NodeType::kWaitForEvent,
                       {{"event_types", {"replied", "meeting_booked"}}, {"timeout_minutes", 4320}})
                  .empty());
  EXPECT_TRUE(
      problems(NodeType::kWaitForEvent, {{"event_types", {"crm.won"}}, {"timeout_days", 2.5}})
          .empty());
  const auto parsed = parse_wait_for_event_config(
      {{"event_types", {"replied", "meeting_booked"}}, {"timeout_hours", 2}});
  EXPECT_EQ(parsed.event_types, (std::vector<std::string>{"replied", "meeting_booked"}));
  EXPECT_EQ(parsed.timeout_ms, 2 * 3600 * 1000);
}

TEST(WaitForEventConfig, NamesEveryProblem) {
  EXPECT_EQ(problems(NodeType::kWaitForEvent, Json::object()).size(), 2u);
  EXPECT_FALSE(
      problems(NodeType::kWaitForEvent, {{"event_types", Json::array()}, {"timeout_days", 1}})
          .empty());
  EXPECT_FALSE(
      problems(NodeType::kWaitForEvent, {{"event_types", {"has space"}}, {"timeout_days", 1}})
          .empty());
  EXPECT_FALSE(
      problems(NodeType::kWaitForEvent, {{"event_types", {"timeout"}}, {"timeout_days", 1}})
          .empty());
  EXPECT_FALSE(problems(NodeType::kWaitForEvent, {{"event_types", {"a", "A"}}, {"timeout_days", 1}})
                   .empty());
  EXPECT_FALSE(problems(NodeType::kWaitForEvent,
                        {{"event_types", {"a"}}, {"timeout_days", 1}, {"timeout_hours", 1}})
                   .empty());
  EXPECT_FALSE(
      problems(NodeType::kWaitForEvent, {{"event_types", {"a"}}, {"timeout_days", 1e300}}).empty());
  EXPECT_FALSE(
      problems(NodeType::kWaitForEvent, {{"event_types", {"a"}}, {"timeout_minutes", 0}}).empty());
}

TEST(WaitForEventConfig, ItsEdgesAreItsEventTypesAndTimeout) {
  Node node;
  node.type = NodeType::kWaitForEvent;
  node.config = {{"event_types", {"replied"}}, {"timeout_days", 1}};
  EXPECT_EQ(possible_outcomes(node), (std::vector<std::string>{"replied", "timeout"}));
  EXPECT_TRUE(can_emit_label(node, "REPLIED"));
  EXPECT_FALSE(can_emit_label(node, "booked"));
}

TEST(SplitConfig, ChecksVariants) {
  const Json ab = {
      {"variants", {{{"label", "A"}, {"weight", 50}}, {{"label", "B"}, {"weight", 50}}}}};
  EXPECT_TRUE(problems(NodeType::kSplit, ab).empty());
  EXPECT_FALSE(problems(NodeType::kSplit, Json::object()).empty());
  EXPECT_FALSE(
      problems(NodeType::kSplit, {{"variants", {{{"label", "A"}, {"weight", 1}}}}}).empty());
  EXPECT_FALSE(
      problems(NodeType::kSplit,
               {{"variants", {{{"label", "A"}, {"weight", 1}}, {{"label", "a"}, {"weight", 1}}}}})
          .empty());
  EXPECT_FALSE(
      problems(NodeType::kSplit,
               {{"variants", {{{"label", "A"}, {"weight", 0}}, {{"label", "B"}, {"weight", 1.5}}}}})
          .size() < 2);
  Node node;
  node.type = NodeType::kSplit;
  node.config = ab;
  EXPECT_EQ(possible_outcomes(node), (std::vector<std::string>{"A", "B"}));
}

TEST(SplitConfig, PicksByWeightTheSameVariantEveryTime) {
  const SplitConfig config{{{"A", 20}, {"B", 30}, {"C", 50}}};
  std::map<std::string, int> counts;
  constexpr int kLeads = 100'000;
  for (int i = 0; i < kLeads; ++i) {
    const std::string lead = "lead_" + std::to_string(1'000'000 + i);
    const auto* variant = pick_variant(config, lead, "node_1");
    ASSERT_NE(variant, nullptr);
    ASSERT_EQ(pick_variant(config, lead, "node_1"), variant) << "stable per lead";
    ++counts[variant->label];
  }
  // Binomial standard deviations over 100,000 leads are 126–158: five of them.
  EXPECT_NEAR(counts["A"], 20'000, 650);
  EXPECT_NEAR(counts["B"], 30'000, 750);
  EXPECT_NEAR(counts["C"], 50'000, 800);
  // Stable across builds and processes: a fixed answer for a fixed input.
  EXPECT_EQ(pick_variant(config, "lead_abc", "node_x")->label,
            pick_variant(SplitConfig{config}, std::string("lead_") + "abc", "node_x")->label);
  EXPECT_EQ(pick_variant(SplitConfig{}, "lead", "node"), nullptr);
}

}  // namespace
}  // namespace leadline::domain
