#pragma once
// A workflow graph prepared for stepping: indexed once per version, configs parsed once, so
// a step never queries the graph or re-parses config per lead. Immutable; shared by threads.
#include <memory>
#include <string>
#include <unordered_map>

#include "domain/graph_index.h"
#include "domain/node_config.h"
#include "util/json.h"

namespace leadline::engine {

struct CompiledWorkflow {
  CompiledWorkflow(std::string workflow_id, std::int64_t workflow_version, domain::Graph graph);

  std::string id;
  std::int64_t version;
  domain::GraphIndex index;
  std::unordered_map<std::string, domain::VoiceCallConfig> voice_calls;  // by node id
  std::unordered_map<std::string, domain::TimeConfig> delays;            // by node id
};

using CompiledWorkflowPtr = std::shared_ptr<const CompiledWorkflow>;

}  // namespace leadline::engine
