#include "domain/graph.h"

#include <gtest/gtest.h>

namespace leadline::domain {
namespace {

constexpr NodeType kAllTypes[] = {
    NodeType::kVoiceCall,    NodeType::kTime, NodeType::kConditional, NodeType::kApplication,
    NodeType::kWebhook,      NodeType::kSms,  NodeType::kConverted,   NodeType::kDropped,
    NodeType::kWaitForEvent, NodeType::kSplit};

TEST(Graph, NodeTypeNamesRoundTrip) {
  for (NodeType type : kAllTypes) {
    EXPECT_EQ(node_type_from_string(to_string(type)), type) << to_string(type);
  }
  EXPECT_EQ(to_string(NodeType::kVoiceCall), "VOICE_CALL");
  EXPECT_EQ(to_string(NodeType::kSms), "SMS");
}

TEST(Graph, RejectsUnknownNodeType) {
  EXPECT_EQ(node_type_from_string("voice_call"), std::nullopt);
  EXPECT_EQ(node_type_from_string("EMAIL"), std::nullopt);
  EXPECT_EQ(node_type_from_string(""), std::nullopt);
}

TEST(Graph, ListsValidNodeTypesInSpecOrder) {
  EXPECT_EQ(valid_node_types(),
            "VOICE_CALL, TIME, CONDITIONAL, APPLICATION, WEBHOOK, SMS, CONVERTED, DROPPED, "
            "WAIT_FOR_EVENT, SPLIT");
}

TEST(Graph, DefaultLabelsAreWords) {
  EXPECT_EQ(default_label(NodeType::kVoiceCall), "Voice call");
  EXPECT_EQ(default_label(NodeType::kTime), "Time delay");
  for (NodeType type : kAllTypes) EXPECT_FALSE(default_label(type).empty());
}

TEST(Graph, TerminalAndWaitingPartitionTheTypes) {
  for (NodeType type : kAllTypes) {
    bool terminal = type == NodeType::kConverted || type == NodeType::kDropped;
    bool waiting = !terminal && type != NodeType::kConditional && type != NodeType::kSplit;
    EXPECT_EQ(is_terminal(type), terminal) << to_string(type);
    EXPECT_EQ(is_waiting(type), waiting) << to_string(type);
  }
}

}  // namespace
}  // namespace leadline::domain
