#pragma once
// A workflow graph prepared for stepping: indexed once per version, configs parsed once, so
// a step never queries the graph or re-parses config per lead. Immutable; shared by threads.
#include <memory>
#include <string>
#include <unordered_map>

#include "domain/consent.h"
#include "domain/graph_index.h"
#include "domain/node_config.h"
#include "util/json.h"

namespace leadline::engine {

struct CompiledWorkflow {
  // `settings` is the workflow's settings object (time zone, calling window); the version
  // changes with them as with the graph.
  CompiledWorkflow(std::string workflow_id, std::int64_t workflow_version, domain::Graph graph,
                   Json settings = Json::object());

  std::string id;
  std::int64_t version;
  domain::GraphIndex index;
  Json settings;
  std::unordered_map<std::string, domain::VoiceCallConfig> voice_calls;  // by node id
  std::unordered_map<std::string, domain::TimeConfig> delays;            // by node id
  // The calling window of each VOICE_CALL and SMS node (nullopt: switched off).
  std::unordered_map<std::string, std::optional<domain::CallingWindow>> windows;
  std::optional<domain::ConsentLevel> required_consent;  // settings.require_consent
};

using CompiledWorkflowPtr = std::shared_ptr<const CompiledWorkflow>;

}  // namespace leadline::engine
