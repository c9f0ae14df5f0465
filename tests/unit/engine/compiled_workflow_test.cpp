#include "engine/compiled_workflow.h"

#include <gtest/gtest.h>

namespace leadline::engine {
namespace {
using domain::NodeType;
using domain::WaitKind;

// call -> wait -> second call -(COMPLETED)-> check -> won; second call -> retry -> call again.
CompiledWorkflow chain() {
  domain::Graph graph;
  auto node = [&](const std::string& id, NodeType type, Json config = Json::object()) {
    domain::Node n;
    n.id = id;
    n.workflow_id = "wf";
    n.type = type;
    n.config = std::move(config);
    graph.nodes.push_back(n);
  };
  const Json call = {{"agent_id", "agt"}, {"from_phone_number", "+14155550100"}};
  node("call", NodeType::kVoiceCall, call);
  node("wait", NodeType::kTime, {{"delay_minutes", 60}});
  node("second", NodeType::kVoiceCall, call);
  node("check", NodeType::kConditional,
       {{"conditions", {{{"field", "call_status"}, {"operator", "equals"}, {"value", "x"}}}}});
  node("won", NodeType::kConverted);
  node("retry", NodeType::kConditional,
       {{"conditions", {{{"field", "call_status"}, {"operator", "equals"}, {"value", "x"}}}}});
  auto edge = [&](const std::string& from, const std::string& to, std::optional<std::string> l) {
    graph.edges.push_back({from + "-" + to, "wf", from, to, std::move(l), 0});
  };
  edge("call", "wait", std::nullopt);
  edge("wait", "second", std::nullopt);
  edge("second", "check", "COMPLETED");
  edge("check", "won", "true");
  edge("second", "retry", std::nullopt);
  edge("retry", "call", "true");
  return CompiledWorkflow("wf", 1, std::move(graph));
}

domain::Lead at(const std::string& node, WaitKind wait) {
  domain::Lead lead;
  lead.current_node_id = node;
  lead.wait_kind = wait;
  return lead;
}

TEST(CompiledWorkflow, KnowsWhichStepsMayPlaceACall) {
  const auto wf = chain();
  // At a call node it has not placed yet (just entered, a window, a cap, a retry delay).
  for (auto wait : {WaitKind::kNone, WaitKind::kWindow, WaitKind::kContactCap, WaitKind::kDelay})
    EXPECT_TRUE(wf.may_place_call(at("call", wait)));
  // Its result leads to a TIME node: no call this step.
  EXPECT_FALSE(wf.may_place_call(at("call", WaitKind::kCall)));
  // The delay's end leads straight to a call.
  EXPECT_TRUE(wf.may_place_call(at("wait", WaitKind::kDelay)));
  // The second call's result may lead through a condition back to the first call.
  EXPECT_TRUE(wf.may_place_call(at("second", WaitKind::kCall)));
  EXPECT_TRUE(wf.may_place_call(at("retry", WaitKind::kNone)));
  EXPECT_FALSE(wf.may_place_call(at("check", WaitKind::kNone)));
  EXPECT_FALSE(wf.may_place_call(at("won", WaitKind::kNone)));
  EXPECT_FALSE(wf.may_place_call(at("gone", WaitKind::kNone)));  // a deleted node
}

}  // namespace
}  // namespace leadline::engine
