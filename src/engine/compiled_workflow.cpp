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
  }
}

}  // namespace leadline::engine
