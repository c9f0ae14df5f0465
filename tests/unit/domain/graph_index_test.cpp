#include "domain/graph_index.h"

#include <gtest/gtest.h>

#include "unit/domain/graph_builder.h"

namespace leadline::domain {
namespace {

using testing::GraphBuilder;

std::vector<std::string> ids(std::span<const Edge* const> edges) {
  std::vector<std::string> out;
  for (const Edge* edge : edges) out.push_back(edge->id);
  return out;
}

GraphIndex sample() {
  return GraphIndex(GraphBuilder()
                        .node("call", NodeType::kVoiceCall)
                        .node("wait", NodeType::kTime)
                        .node("won", NodeType::kConverted)
                        .edge("call", "won", "COMPLETED")  // e1
                        .edge("wait", "call")              // e2
                        .edge("call", "wait")              // e3
                        .edge("call", "ghost")             // e4: dangling
                        .build());
}

TEST(GraphIndex, FindsNodesById) {
  GraphIndex index = sample();
  ASSERT_NE(index.node("wait"), nullptr);
  EXPECT_EQ(index.node("wait")->type, NodeType::kTime);
  EXPECT_EQ(index.node("nope"), nullptr);
  EXPECT_EQ(index.node_position("won"), 2);
  EXPECT_EQ(index.node_position("nope"), -1);
}

TEST(GraphIndex, KeepsOutgoingEdgesInCreationOrder) {
  GraphIndex index = sample();
  EXPECT_EQ(ids(index.outgoing("call")), (std::vector<std::string>{"e1", "e3"}));
  EXPECT_EQ(ids(index.outgoing("wait")), std::vector<std::string>{"e2"});
  EXPECT_TRUE(index.outgoing("won").empty());
  EXPECT_TRUE(index.outgoing("nope").empty());
  EXPECT_EQ(ids(index.dangling_edges()), std::vector<std::string>{"e4"});
}

TEST(GraphIndex, FindsTheSingleEntryNode) {
  GraphIndex index(GraphBuilder()
                       .node("start", NodeType::kTime)
                       .node("end", NodeType::kDropped)
                       .edge("start", "end")
                       .build());
  ASSERT_NE(index.entry(), nullptr);
  EXPECT_EQ(index.entry()->id, "start");
  EXPECT_EQ(index.incoming_count("end"), 1u);
}

TEST(GraphIndex, HasNoEntryWhenThereAreSeveralOrNone) {
  GraphIndex cycle = sample();  // call <-> wait, won has an incoming edge
  EXPECT_EQ(cycle.entry(), nullptr);
  EXPECT_TRUE(cycle.entry_candidates().empty());
  GraphIndex two(
      GraphBuilder().node("a", NodeType::kConverted).node("b", NodeType::kDropped).build());
  EXPECT_EQ(two.entry(), nullptr);
  EXPECT_EQ(two.entry_candidates().size(), 2u);
}

TEST(GraphIndex, SurvivesAMove) {
  GraphIndex first = sample();
  GraphIndex moved = std::move(first);
  EXPECT_EQ(ids(moved.outgoing("call")), (std::vector<std::string>{"e1", "e3"}));
  EXPECT_EQ(moved.node("call")->id, "call");
}

}  // namespace
}  // namespace leadline::domain
