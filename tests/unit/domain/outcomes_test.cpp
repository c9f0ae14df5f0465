#include "domain/outcomes.h"

#include <gtest/gtest.h>

#include "unit/domain/graph_builder.h"

namespace leadline::domain {
namespace {

using Outcomes = std::vector<std::string>;

Node node_of(NodeType type, std::optional<Json> config = {}) {
  return testing::GraphBuilder().node("n", type, std::move(config)).graph().nodes.front();
}

TEST(Outcomes, ListsEachTypesOutcomes) {
  EXPECT_EQ(possible_outcomes(node_of(NodeType::kVoiceCall)),
            (Outcomes{"COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED"}));
  EXPECT_EQ(possible_outcomes(node_of(NodeType::kTime)), Outcomes{});
  EXPECT_EQ(possible_outcomes(node_of(NodeType::kConditional)), (Outcomes{"true", "false"}));
  for (NodeType type : {NodeType::kApplication, NodeType::kWebhook, NodeType::kSms}) {
    EXPECT_EQ(possible_outcomes(node_of(type)), (Outcomes{"success", "failure"}));
  }
  EXPECT_EQ(possible_outcomes(node_of(NodeType::kConverted)), Outcomes{});
  EXPECT_EQ(possible_outcomes(node_of(NodeType::kDropped)), Outcomes{});
}

TEST(Outcomes, BranchFormEmitsBranchesThenDefault) {
  Json config = {{"condition_field", "call_status"}, {"branches", {"COMPLETED", "Busy"}}};
  EXPECT_EQ(possible_outcomes(node_of(NodeType::kConditional, config)),
            (Outcomes{"COMPLETED", "Busy", "default"}));
}

TEST(Outcomes, DidNotPickUpCoversThreeCallOutcomes) {
  EXPECT_TRUE(is_did_not_pick_up("NO_ANSWER"));
  EXPECT_TRUE(is_did_not_pick_up("busy"));
  EXPECT_TRUE(is_did_not_pick_up("Voicemail"));
  EXPECT_FALSE(is_did_not_pick_up("FAILED"));
  EXPECT_FALSE(is_did_not_pick_up("COMPLETED"));
}

TEST(Outcomes, LabelsMatchOutcomesIgnoringCase) {
  Node call = node_of(NodeType::kVoiceCall);
  EXPECT_TRUE(can_emit_label(call, "no_answer"));
  EXPECT_TRUE(can_emit_label(call, "dnp"));
  EXPECT_FALSE(can_emit_label(call, "success"));
  Node webhook = node_of(NodeType::kWebhook);
  EXPECT_TRUE(can_emit_label(webhook, "SUCCESS"));
  EXPECT_FALSE(can_emit_label(webhook, "DNP"));
  EXPECT_FALSE(can_emit_label(node_of(NodeType::kTime), "done"));
  EXPECT_TRUE(can_emit_label(node_of(NodeType::kConditional), "TRUE"));
}

}  // namespace
}  // namespace leadline::domain
