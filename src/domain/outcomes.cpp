#include "domain/outcomes.h"

#include "domain/flow_nodes.h"
#include "domain/node_config.h"
#include "domain/text.h"

namespace leadline::domain {

bool is_did_not_pick_up(std::string_view outcome) {
  return iequals(outcome, "NO_ANSWER") || iequals(outcome, "BUSY") || iequals(outcome, "VOICEMAIL");
}

std::vector<std::string> possible_outcomes(const Node& node) {
  switch (node.type) {
    case NodeType::kVoiceCall:
      return {kCallOutcomes.begin(), kCallOutcomes.end()};
    case NodeType::kConditional: {
      if (!uses_branch_form(node.config)) return {"true", "false"};
      std::vector<std::string> out;
      const Json* branches = config_field(node.config, "branches");
      if (branches != nullptr && branches->is_array()) {
        for (const Json& branch : *branches) {
          if (branch.is_string()) out.push_back(branch.get<std::string>());
        }
      }
      out.emplace_back(kDefaultBranch);
      return out;
    }
    case NodeType::kApplication:
    case NodeType::kWebhook:
    case NodeType::kSms:
      return {"success", "failure"};
    case NodeType::kWaitForEvent: {
      auto out = parse_wait_for_event_config(node.config).event_types;
      out.emplace_back(kEventTimeout);
      return out;
    }
    case NodeType::kSplit: {
      std::vector<std::string> out;
      for (const auto& variant : parse_split_config(node.config).variants)
        out.push_back(variant.label);
      return out;
    }
    case NodeType::kTime:
    case NodeType::kConverted:
    case NodeType::kDropped:
      return {};
  }
  return {};
}

bool can_emit_label(const Node& node, std::string_view label) {
  if (node.type == NodeType::kVoiceCall && iequals(label, kDidNotPickUp)) return true;
  for (const auto& outcome : possible_outcomes(node)) {
    if (iequals(outcome, label)) return true;
  }
  return false;
}

}  // namespace leadline::domain
