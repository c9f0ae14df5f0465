#pragma once
// Small graphs for domain tests: nodes get a valid config for their type unless a test
// gives one, edges get ids "e1", "e2", ... in creation order.
#include <optional>
#include <string>

#include "domain/graph.h"
#include "util/json.h"

namespace leadline::domain::testing {

inline Json valid_config(NodeType type) {
  switch (type) {
    case NodeType::kVoiceCall:
      return {{"agent_id", "agt_1"}, {"from_phone_number", "+14155550100"}};
    case NodeType::kTime:
      return {{"delay_minutes", 5}};
    case NodeType::kConditional:
      return {{"logic", "AND"},
              {"conditions",
               Json::array(
                   {{{"field", "call_status"}, {"operator", "equals"}, {"value", "COMPLETED"}}})}};
    case NodeType::kApplication:
      return {{"provider_key", "leadline"},
              {"action_key", "set_variables"},
              {"action_config", {{"variables", {{"stage", "warm"}}}}}};
    case NodeType::kWebhook:
      return {{"url", "https://hooks.example.com/lead"}};
    case NodeType::kSms:
      return {{"from_phone_number", "+14155550100"}, {"message", "Hi {{name}}"}};
    case NodeType::kWaitForEvent:
      return {{"event_types", Json::array({"replied"})}, {"timeout_days", 3}};
    case NodeType::kSplit:
      return {{"variants",
               Json::array({{{"label", "A"}, {"weight", 50}}, {{"label", "B"}, {"weight", 50}}})}};
    case NodeType::kConverted:
    case NodeType::kDropped:
      return Json::object();
  }
  return Json::object();
}

class GraphBuilder {
 public:
  GraphBuilder& node(const std::string& id, NodeType type, std::optional<Json> config = {}) {
    Node node;
    node.id = id;
    node.workflow_id = "wf_test";
    node.type = type;
    node.label = id;
    node.config = config ? *config : valid_config(type);
    graph_.nodes.push_back(std::move(node));
    return *this;
  }
  GraphBuilder& edge(const std::string& from, const std::string& to,
                     std::optional<std::string> label = {}) {
    Edge edge;
    edge.id = "e" + std::to_string(graph_.edges.size() + 1);
    edge.workflow_id = "wf_test";
    edge.from_node_id = from;
    edge.to_node_id = to;
    edge.label = std::move(label);
    graph_.edges.push_back(std::move(edge));
    return *this;
  }
  const Graph& graph() const { return graph_; }
  Graph build() const { return graph_; }

 private:
  Graph graph_;
};

}  // namespace leadline::domain::testing
