#include "domain/edge_choice.h"

#include <gtest/gtest.h>

#include "domain/graph_index.h"
#include "unit/domain/graph_builder.h"

namespace leadline::domain {
namespace {

using testing::GraphBuilder;

// The id of the edge the lead follows out of `from`, or "stall".
std::string follow(const Graph& graph, const std::string& from, std::string_view outcome) {
  const Node* node = nullptr;
  for (const Node& n : graph.nodes) {
    if (n.id == from) node = &n;
  }
  auto chosen = choose_edge(*node, outcome, graph.edges);
  // The index path and the vector path must always agree.
  GraphIndex index(graph);
  const Edge* fast = choose_edge(node->type, outcome, index.outgoing(from));
  EXPECT_EQ(fast ? fast->id : "stall", chosen ? chosen->id : "stall");
  return chosen ? chosen->id : "stall";
}

TEST(EdgeChoice, PrefersTheFirstMatchingLabelIgnoringCase) {
  Graph graph = GraphBuilder()
                    .node("call", NodeType::kVoiceCall)
                    .node("x", NodeType::kDropped)
                    .edge("call", "x")               // e1
                    .edge("call", "x", "DNP")        // e2
                    .edge("call", "x", "no_answer")  // e3
                    .edge("call", "x", "NO_ANSWER")  // e4
                    .build();
  EXPECT_EQ(follow(graph, "call", "NO_ANSWER"), "e3");
  EXPECT_EQ(follow(graph, "call", "No_Answer"), "e3");
}

TEST(EdgeChoice, FallsBackToDnpForCallsThatWereNotPickedUp) {
  Graph graph = GraphBuilder()
                    .node("call", NodeType::kVoiceCall)
                    .node("x", NodeType::kDropped)
                    .edge("call", "x")               // e1 unlabelled
                    .edge("call", "x", "dnp")        // e2
                    .edge("call", "x", "DNP")        // e3
                    .edge("call", "x", "COMPLETED")  // e4
                    .build();
  EXPECT_EQ(follow(graph, "call", "NO_ANSWER"), "e2");
  EXPECT_EQ(follow(graph, "call", "BUSY"), "e2");
  EXPECT_EQ(follow(graph, "call", "VOICEMAIL"), "e2");
  EXPECT_EQ(follow(graph, "call", "COMPLETED"), "e4");
  EXPECT_EQ(follow(graph, "call", "FAILED"), "e1");  // DNP does not catch FAILED
}

TEST(EdgeChoice, DnpOnlyAppliesToVoiceCalls) {
  Graph graph = GraphBuilder()
                    .node("branch", NodeType::kConditional,
                          Json{{"condition_field", "call_status"}, {"branches", {"BUSY"}}})
                    .node("x", NodeType::kDropped)
                    .edge("branch", "x", "DNP")
                    .build();
  EXPECT_EQ(follow(graph, "branch", "BUSY"), "stall");
}

TEST(EdgeChoice, FallsBackToTheFirstUnlabelledEdge) {
  Graph graph = GraphBuilder()
                    .node("wait", NodeType::kTime)
                    .node("a", NodeType::kDropped)
                    .node("b", NodeType::kConverted)
                    .edge("a", "b")     // e1: another node's edge
                    .edge("wait", "a")  // e2
                    .edge("wait", "b")  // e3
                    .build();
  EXPECT_EQ(follow(graph, "wait", ""), "e2");
  EXPECT_EQ(follow(graph, "wait", "anything"), "e2");
}

TEST(EdgeChoice, TreatsAnEmptyLabelAsUnlabelled) {
  Graph graph = GraphBuilder()
                    .node("hook", NodeType::kWebhook)
                    .node("x", NodeType::kDropped)
                    .edge("hook", "x", "")
                    .build();
  EXPECT_EQ(follow(graph, "hook", "failure"), "e1");
}

TEST(EdgeChoice, StallsWhenNothingApplies) {
  Graph graph = GraphBuilder()
                    .node("hook", NodeType::kWebhook)
                    .node("x", NodeType::kDropped)
                    .edge("hook", "x", "success")
                    .build();
  EXPECT_EQ(follow(graph, "hook", "failure"), "stall");
  EXPECT_EQ(follow(graph, "x", "anything"), "stall");
}

}  // namespace
}  // namespace leadline::domain
