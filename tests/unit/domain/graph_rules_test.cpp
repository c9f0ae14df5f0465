#include "domain/graph_rules.h"

#include <gtest/gtest.h>

#include "domain/graph_index.h"
#include "unit/domain/graph_builder.h"

namespace leadline::domain {
namespace {

using testing::GraphBuilder;
using Codes = std::vector<std::string>;

Codes codes(const std::vector<ValidationIssue>& issues) {
  Codes out;
  for (const auto& issue : issues) out.push_back(issue.code);
  return out;
}

// start -> call -> (COMPLETED) won, (DNP) wait -> call, (FAILED) lost: valid, no warnings.
// The entry is the node without incoming edges, so a retry loop cannot return to it.
GraphBuilder good_graph() {
  return GraphBuilder()
      .node("start", NodeType::kTime)
      .node("call", NodeType::kVoiceCall)
      .node("wait", NodeType::kTime)
      .node("won", NodeType::kConverted)
      .node("lost", NodeType::kDropped)
      .edge("start", "call")
      .edge("call", "won", "COMPLETED")
      .edge("call", "wait", "DNP")
      .edge("call", "lost", "FAILED")
      .edge("wait", "call");
}

TEST(GraphRules, AcceptsAGoodGraph) {
  auto report = validate_graph(good_graph().build());
  EXPECT_TRUE(report.valid());
  EXPECT_EQ(to_json(report), Json::parse(R"({"valid": true, "errors": [], "warnings": []})"));
}

TEST(GraphRules, RejectsAnEmptyGraph) {
  auto report = validate_graph(Graph{});
  EXPECT_FALSE(report.valid());
  EXPECT_EQ(to_json(report), Json::parse(R"({"valid": false, "errors": [
      {"code": "no_nodes", "message": "the workflow has no nodes"}], "warnings": []})"));
}

TEST(GraphRules, RejectsAGraphWithoutEntryNode) {
  auto report = validate_graph(GraphBuilder()
                                   .node("a", NodeType::kTime)
                                   .node("b", NodeType::kTime)
                                   .edge("a", "b")
                                   .edge("b", "a")
                                   .build());
  EXPECT_EQ(codes(report.errors), Codes{"no_entry_node"});
  EXPECT_EQ(codes(report.warnings), Codes{});  // reachability is unknown without an entry
}

TEST(GraphRules, RejectsSeveralEntryNodesNamingThem) {
  auto report = validate_graph(
      GraphBuilder().node("Won", NodeType::kConverted).node("Lost", NodeType::kDropped).build());
  ASSERT_EQ(codes(report.errors), Codes{"multiple_entry_nodes"});
  EXPECT_EQ(report.errors[0].message,
            "the workflow has 2 entry nodes (nodes without incoming edges): \"Won\", \"Lost\"; "
            "exactly one is required");
}

TEST(GraphRules, AcceptsASingleTerminalNode) {
  EXPECT_TRUE(validate_graph(GraphBuilder().node("won", NodeType::kConverted).build()).valid());
}

TEST(GraphRules, RejectsANonTerminalNodeWithoutOutgoingEdge) {
  auto report = validate_graph(GraphBuilder()
                                   .node("wait", NodeType::kTime)
                                   .node("hook", NodeType::kWebhook)
                                   .edge("wait", "hook")
                                   .build());
  EXPECT_EQ(to_json(report)["errors"], Json::parse(R"([{"code": "missing_outgoing_edge",
      "message": "\"hook\" (WEBHOOK) has no outgoing edge", "node_id": "hook"}])"));
}

TEST(GraphRules, ReportsEachConfigProblemPrefixedWithTheLabel) {
  auto report = validate_graph(GraphBuilder()
                                   .node("Call", NodeType::kVoiceCall, Json::object())
                                   .node("won", NodeType::kConverted)
                                   .edge("Call", "won")
                                   .build());
  EXPECT_EQ(to_json(report)["errors"], Json::parse(R"([
      {"code": "invalid_config", "message": "\"Call\": config.agent_id is required",
       "node_id": "Call"},
      {"code": "invalid_config", "message": "\"Call\": config.from_phone_number is required",
       "node_id": "Call"}])"));
}

TEST(GraphRules, RejectsLabelsTheNodeCanNeverEmit) {
  auto report = validate_graph(GraphBuilder()
                                   .node("call", NodeType::kVoiceCall)
                                   .node("wait", NodeType::kTime)
                                   .node("won", NodeType::kConverted)
                                   .edge("call", "wait", "success")  // e1: bad
                                   .edge("call", "wait", "dnp")      // e2: fine
                                   .edge("call", "wait")             // e3: fine
                                   .edge("wait", "won", "done")      // e4: bad, TIME emits none
                                   .build());
  EXPECT_EQ(to_json(report)["errors"], Json::parse(R"([
      {"code": "invalid_edge_label",
       "message": "edge label \"success\" out of \"call\" can never be followed: it can emit only COMPLETED, NO_ANSWER, BUSY, VOICEMAIL, FAILED, DNP",
       "node_id": "call", "edge_id": "e1"},
      {"code": "invalid_edge_label",
       "message": "edge label \"done\" out of \"wait\" can never be followed: it emits no outcome, so only an unlabelled edge works",
       "node_id": "wait", "edge_id": "e4"}])"));
}

TEST(GraphRules, AcceptsBranchLabelsAndDefault) {
  auto report = validate_graph(
      GraphBuilder()
          .node("wait", NodeType::kTime)
          .node("branch", NodeType::kConditional,
                Json{{"condition_field", "lead.tier"}, {"branches", {"gold", "silver"}}})
          .node("won", NodeType::kConverted)
          .edge("wait", "branch")
          .edge("branch", "won", "GOLD")
          .edge("branch", "won", "silver")
          .edge("branch", "won", "Default")
          .build());
  EXPECT_TRUE(report.valid()) << to_json(report).dump();
  EXPECT_TRUE(report.warnings.empty()) << to_json(report).dump();
}

TEST(GraphRules, RejectsALoopWithoutWaitingNode) {
  auto report = validate_graph(GraphBuilder()
                                   .node("start", NodeType::kTime)
                                   .node("c1", NodeType::kConditional)
                                   .node("c2", NodeType::kConditional)
                                   .node("won", NodeType::kConverted)
                                   .edge("start", "c1")
                                   .edge("c1", "c2", "true")
                                   .edge("c2", "c1", "true")
                                   .edge("c1", "won", "false")
                                   .edge("c2", "won", "false")
                                   .build());
  EXPECT_EQ(to_json(report)["errors"], Json::parse(R"([{"code": "instant_cycle",
      "message": "nodes \"c1\", \"c2\" form a loop with no waiting node (VOICE_CALL, TIME, WEBHOOK, SMS or APPLICATION): a lead would loop forever",
      "node_id": "c1"}])"));
}

TEST(GraphRules, RejectsAConditionalLoopingToItself) {
  auto report = validate_graph(GraphBuilder()
                                   .node("start", NodeType::kTime)
                                   .node("c", NodeType::kConditional)
                                   .node("won", NodeType::kConverted)
                                   .edge("start", "c")
                                   .edge("c", "c", "true")
                                   .edge("c", "won", "false")
                                   .build());
  EXPECT_EQ(codes(report.errors), Codes{"instant_cycle"});
}

TEST(GraphRules, ReportsALongInstantLoopOnceNamingAFewNodes) {
  // One error for the whole loop, naming only its first few nodes.
  constexpr int kLength = 3000;
  GraphBuilder builder;
  builder.node("start", NodeType::kTime).node("won", NodeType::kConverted);
  for (int i = 0; i < kLength; ++i) builder.node("c" + std::to_string(i), NodeType::kConditional);
  builder.edge("start", "c0");
  for (int i = 0; i < kLength; ++i) {
    builder.edge("c" + std::to_string(i), "c" + std::to_string((i + 1) % kLength), "true");
    builder.edge("c" + std::to_string(i), "won", "false");
  }
  auto report = validate_graph(GraphIndex(builder.build()));
  ASSERT_EQ(codes(report.errors), Codes{"instant_cycle"});
  EXPECT_EQ(report.errors[0].node_id, "c0");
  EXPECT_NE(report.errors[0].message.find("\"c9\" and 2990 more form a loop"), std::string::npos)
      << report.errors[0].message;
}

TEST(GraphRules, AcceptsALoopThroughAWaitingNode) {
  auto report = validate_graph(GraphBuilder()
                                   .node("start", NodeType::kTime)
                                   .node("c", NodeType::kConditional)
                                   .node("hook", NodeType::kWebhook)
                                   .node("won", NodeType::kConverted)
                                   .edge("start", "c")
                                   .edge("c", "hook", "true")
                                   .edge("hook", "c")
                                   .edge("c", "won", "false")
                                   .build());
  EXPECT_TRUE(report.valid()) << to_json(report).dump();
}

TEST(GraphRules, WarnsAboutUnreachableNodes) {
  auto report = validate_graph(good_graph()
                                   .node("island", NodeType::kTime)
                                   .node("island_end", NodeType::kDropped)
                                   .edge("island", "island_end")
                                   .edge("island_end", "island")  // island has an incoming edge
                                   .build());
  EXPECT_TRUE(report.valid()) << to_json(report).dump();
  EXPECT_EQ(to_json(report)["warnings"], Json::parse(R"([
      {"code": "unreachable_node", "message": "\"island\" cannot be reached from the entry node",
       "node_id": "island"},
      {"code": "unreachable_node",
       "message": "\"island_end\" cannot be reached from the entry node",
       "node_id": "island_end"}])"));
}

TEST(GraphRules, WarnsAboutSeveralUnlabelledEdges) {
  auto report = validate_graph(GraphBuilder()
                                   .node("wait", NodeType::kTime)
                                   .node("won", NodeType::kConverted)
                                   .node("lost", NodeType::kDropped)
                                   .edge("wait", "won")
                                   .edge("wait", "lost")
                                   .build());
  EXPECT_TRUE(report.valid());
  EXPECT_EQ(to_json(report)["warnings"], Json::parse(R"([{"code": "multiple_unlabelled_edges",
      "message": "\"wait\" has 2 unlabelled edges; only the first created is used",
      "node_id": "wait"}])"));
}

TEST(GraphRules, WarnsAboutUncoveredCallOutcomes) {
  auto report = validate_graph(GraphBuilder()
                                   .node("call", NodeType::kVoiceCall)
                                   .node("won", NodeType::kConverted)
                                   .edge("call", "won", "COMPLETED")
                                   .edge("call", "won", "busy")
                                   .build());
  EXPECT_TRUE(report.valid());
  EXPECT_EQ(to_json(report)["warnings"], Json::parse(R"([{"code": "uncovered_outcomes",
      "message": "\"call\" has no edge for NO_ANSWER, VOICEMAIL, FAILED and no unlabelled edge: leads with those outcomes would stall",
      "node_id": "call"}])"));
}

TEST(GraphRules, CountsDnpAndUnlabelledEdgesAsCoverage) {
  auto with_dnp = validate_graph(GraphBuilder()
                                     .node("call", NodeType::kVoiceCall)
                                     .node("won", NodeType::kConverted)
                                     .edge("call", "won", "COMPLETED")
                                     .edge("call", "won", "DNP")
                                     .build());
  ASSERT_EQ(codes(with_dnp.warnings), Codes{"uncovered_outcomes"});
  EXPECT_EQ(with_dnp.warnings[0].message,
            "\"call\" has no edge for FAILED and no unlabelled edge: leads with that outcome "
            "would stall");
  auto with_fallback = validate_graph(GraphBuilder()
                                          .node("call", NodeType::kVoiceCall)
                                          .node("won", NodeType::kConverted)
                                          .edge("call", "won", "COMPLETED")
                                          .edge("call", "won")
                                          .build());
  EXPECT_EQ(codes(with_fallback.warnings), Codes{});
}

TEST(GraphRules, WarnsAboutUncoveredConditionalOutcomes) {
  auto report = validate_graph(
      GraphBuilder()
          .node("wait", NodeType::kTime)
          .node("branch", NodeType::kConditional,
                Json{{"condition_field", "lead.tier"}, {"branches", {"gold", "silver"}}})
          .node("won", NodeType::kConverted)
          .edge("wait", "branch")
          .edge("branch", "won", "gold")
          .build());
  ASSERT_EQ(codes(report.warnings), Codes{"uncovered_outcomes"});
  EXPECT_EQ(report.warnings[0].message,
            "\"branch\" has no edge for silver, default and no unlabelled edge: leads with "
            "those outcomes would stall");
}

TEST(GraphRules, ReportsEveryProblemInNodeOrder) {
  auto report = validate_graph(GraphBuilder()
                                   .node("a", NodeType::kSms, Json::object())
                                   .node("b", NodeType::kWebhook)
                                   .node("c", NodeType::kConverted)
                                   .edge("a", "c", "maybe")
                                   .edge("x", "c")
                                   .build());
  EXPECT_EQ(codes(report.errors),
            (Codes{"multiple_entry_nodes", "dangling_edge", "invalid_config", "invalid_config",
                   "invalid_edge_label", "missing_outgoing_edge"}));
  EXPECT_EQ(report.errors[1].edge_id, "e2");
  EXPECT_EQ(report.errors[5].node_id, "b");
}

}  // namespace
}  // namespace leadline::domain
