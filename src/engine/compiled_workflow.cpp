#include "engine/compiled_workflow.h"

namespace leadline::engine {

CompiledWorkflow::CompiledWorkflow(std::string workflow_id, std::int64_t workflow_version,
                                   domain::Graph graph, Json workflow_settings)
    : id(std::move(workflow_id)),
      version(workflow_version),
      index(std::move(graph)),
      settings(std::move(workflow_settings)),
      required_consent(domain::required_consent(settings)) {
  for (const auto& node : index.graph().nodes) {
    if (node.type == domain::NodeType::kVoiceCall || node.type == domain::NodeType::kSms)
      windows.emplace(node.id, domain::effective_calling_window(node.config, settings));
    if (node.type == domain::NodeType::kVoiceCall)
      voice_calls.emplace(node.id, domain::parse_voice_call_config(node.config));
    else if (node.type == domain::NodeType::kTime)
      delays.emplace(node.id, domain::parse_time_config(node.config));
    else if (node.type == domain::NodeType::kWaitForEvent)
      event_waits.emplace(node.id, domain::parse_wait_for_event_config(node.config));
    else if (node.type == domain::NodeType::kSplit)
      splits.emplace(node.id, domain::parse_split_config(node.config));
  }
  // Backwards from the VOICE_CALL nodes through the nodes a lead passes without waiting for
  // time (all but TIME and WAIT_FOR_EVENT):
  // a fixed point, so cycles need no special care.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& node : index.graph().nodes) {
      if (calls_at_once_.contains(node.id)) continue;
      bool calls = node.type == domain::NodeType::kVoiceCall;
      if (!calls && node.type != domain::NodeType::kTime &&
          node.type != domain::NodeType::kWaitForEvent)
        for (const auto* edge : index.outgoing(node.id))
          calls = calls || calls_at_once_.contains(edge->to_node_id);
      if (calls) grew = calls_at_once_.insert(node.id).second;
    }
  }
}

bool CompiledWorkflow::may_place_call(const domain::Lead& lead) const {
  using domain::WaitKind;
  if (!lead.current_node_id) return index.entry() && calls_at_once_.contains(index.entry()->id);
  const domain::Node* node = index.node(*lead.current_node_id);
  if (!node) return false;
  const bool leaves_node =
      lead.wait_kind == WaitKind::kCall || lead.wait_kind == WaitKind::kCallDetached ||
      lead.wait_kind == WaitKind::kHttp || lead.wait_kind == WaitKind::kEvent ||
      (lead.wait_kind == WaitKind::kDelay && node->type == domain::NodeType::kTime);
  if (!leaves_node) return calls_at_once_.contains(node->id);
  for (const auto* edge : index.outgoing(node->id))
    if (calls_at_once_.contains(edge->to_node_id)) return true;
  return false;
}

}  // namespace leadline::engine
