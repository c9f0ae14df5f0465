#include "domain/graph.h"

#include <array>

namespace leadline::domain {
namespace {

struct TypeInfo {
  NodeType type;
  std::string_view name;
  std::string_view words;
};

// Spec order (§3.2); valid_node_types() lists them in this order.
constexpr std::array<TypeInfo, 10> kTypes{{
    {NodeType::kVoiceCall, "VOICE_CALL", "Voice call"},
    {NodeType::kTime, "TIME", "Time delay"},
    {NodeType::kConditional, "CONDITIONAL", "Conditional"},
    {NodeType::kApplication, "APPLICATION", "Application"},
    {NodeType::kWebhook, "WEBHOOK", "Webhook"},
    {NodeType::kSms, "SMS", "SMS"},
    {NodeType::kConverted, "CONVERTED", "Converted"},
    {NodeType::kDropped, "DROPPED", "Dropped"},
    {NodeType::kWaitForEvent, "WAIT_FOR_EVENT", "Wait for event"},
    {NodeType::kSplit, "SPLIT", "A/B split"},
}};

const TypeInfo& info(NodeType type) {
  for (const auto& entry : kTypes) {
    if (entry.type == type) return entry;
  }
  return kTypes[0];  // unreachable: every enumerator is listed
}

}  // namespace

std::string_view to_string(NodeType type) { return info(type).name; }

std::optional<NodeType> node_type_from_string(std::string_view text) {
  for (const auto& entry : kTypes) {
    if (entry.name == text) return entry.type;
  }
  return std::nullopt;
}

std::string valid_node_types() {
  std::string out;
  for (const auto& entry : kTypes) {
    if (!out.empty()) out += ", ";
    out += entry.name;
  }
  return out;
}

std::string default_label(NodeType type) { return std::string(info(type).words); }

bool is_terminal(NodeType type) {
  return type == NodeType::kConverted || type == NodeType::kDropped;
}

bool is_waiting(NodeType type) {
  switch (type) {
    case NodeType::kVoiceCall:
    case NodeType::kTime:
    case NodeType::kApplication:
    case NodeType::kWebhook:
    case NodeType::kSms:
    case NodeType::kWaitForEvent:
      return true;
    case NodeType::kConditional:
    case NodeType::kSplit:
    case NodeType::kConverted:
    case NodeType::kDropped:
      return false;
  }
  return false;
}

}  // namespace leadline::domain
