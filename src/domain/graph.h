#pragma once
// Nodes and edges of a workflow graph (spec §3, §4). Pure values, no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

enum class NodeType {
  kVoiceCall,
  kTime,
  kConditional,
  kApplication,
  kWebhook,
  kSms,
  kConverted,
  kDropped,
  // Extensions (not in spec §3.2).
  kWaitForEvent,
  kSplit,
};

std::string_view to_string(NodeType type);  // "VOICE_CALL", ...
std::optional<NodeType> node_type_from_string(std::string_view text);
// "VOICE_CALL, TIME, ..." for error messages.
std::string valid_node_types();
// The default label: the type in words ("Voice call", "Time delay", ...).
std::string default_label(NodeType type);
// CONVERTED and DROPPED end a lead's journey and may have no outgoing edge.
bool is_terminal(NodeType type);
// Nodes whose step waits for time or an outside answer (they break instant cycles).
bool is_waiting(NodeType type);

struct Node {
  std::string id;
  std::string workflow_id;
  NodeType type = NodeType::kTime;
  std::string label;
  double position_x = 0;
  double position_y = 0;
  Json config = Json::object();
  util::Millis created_at = 0;
  util::Millis updated_at = 0;
};

struct Edge {
  std::string id;
  std::string workflow_id;
  std::string from_node_id;
  std::string to_node_id;
  std::optional<std::string> label;  // nullopt = unlabelled
  util::Millis created_at = 0;
};

// A whole graph; nodes and edges in creation order.
struct Graph {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
};

}  // namespace leadline::domain
