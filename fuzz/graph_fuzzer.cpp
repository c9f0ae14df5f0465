// Whole workflow graphs as the node and edge routes build them, checked by validate_graph
// (GET .../validation, activation) and walked by choose_edge. Input: {"nodes": [{"id",
// "type", "label", "config"}], "edges": [{"id", "from", "to", "label"}]}.
#include <array>
#include <string>

#include "domain/edge_choice.h"
#include "domain/graph.h"
#include "domain/graph_index.h"
#include "domain/graph_rules.h"
#include "fuzz_support.h"

namespace {
using namespace leadline;

std::string string_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

constexpr std::array<std::string_view, 8> kOutcomes{
    "COMPLETED", "NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "true", "default", "success"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = fuzz::json_of(fuzz::as_text(data, size));
  if (!input || !input->is_object()) return 0;
  domain::Graph graph;
  if (auto nodes = input->find("nodes"); nodes != input->end() && nodes->is_array()) {
    for (const Json& item : *nodes) {
      if (!item.is_object()) continue;
      auto type = domain::node_type_from_string(string_at(item, "type"));
      if (!type) continue;  // the route refuses unknown types
      domain::Node node;
      node.id = string_at(item, "id");
      node.workflow_id = "wf_fuzz";
      node.type = *type;
      node.label = string_at(item, "label");
      if (node.label.empty()) node.label = domain::default_label(node.type);
      node.config = item.value("config", Json::object());
      graph.nodes.push_back(std::move(node));
    }
  }
  if (auto edges = input->find("edges"); edges != input->end() && edges->is_array()) {
    for (const Json& item : *edges) {
      if (!item.is_object()) continue;
      domain::Edge edge;
      edge.id = string_at(item, "id");
      edge.workflow_id = "wf_fuzz";
      edge.from_node_id = string_at(item, "from");
      edge.to_node_id = string_at(item, "to");
      if (auto label = item.find("label"); label != item.end() && label->is_string())
        edge.label = label->get<std::string>();
      graph.edges.push_back(std::move(edge));
    }
  }
  const auto report = domain::validate_graph(graph);
  (void)domain::to_json(report).dump();
  const domain::GraphIndex index(std::move(graph));
  for (const auto& node : index.graph().nodes) {
    for (const auto outcome : kOutcomes) {
      const domain::Edge* edge = domain::choose_edge(node.type, outcome, index.outgoing(node.id));
      if (edge != nullptr && edge->from_node_id != node.id)
        fuzz::fail("choose_edge picked an edge of another node");
    }
  }
  return 0;
}
