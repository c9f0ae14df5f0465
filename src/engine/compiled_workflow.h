#pragma once
// A workflow graph prepared for stepping: indexed once per version, configs parsed once, so
// a step never queries the graph or re-parses config per lead. Immutable; shared by threads.
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "domain/consent.h"
#include "domain/flow_nodes.h"
#include "domain/graph_index.h"
#include "domain/lead.h"
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
  std::unordered_map<std::string, domain::EventWaitConfig> event_waits;  // by node id
  std::unordered_map<std::string, domain::SplitConfig> splits;           // by node id
  // The calling window of each VOICE_CALL and SMS node (nullopt: switched off).
  std::unordered_map<std::string, std::optional<domain::CallingWindow>> windows;
  std::optional<domain::ConsentLevel> required_consent;  // settings.require_consent

  // Whether the lead's next step may place a call: its node is a VOICE_CALL it has not
  // placed yet, or the step leaves its node (a call's result, an answer, a delay's end, an
  // event) along edges that reach one through nodes that do not wait (a TIME or WAIT_FOR_EVENT
  // node ends the search). Lets
  // the engine skip reading, and locking, the calls of numbers no step calls; a step that
  // calls anyway defers the call to the next batch (Executor), so a wrong "no" costs a batch.
  bool may_place_call(const domain::Lead& lead) const;

 private:
  // Nodes where a lead may place a call without waiting: VOICE_CALL nodes, and nodes that do
  // not wait and have an edge to one of these.
  std::unordered_set<std::string> calls_at_once_;
};

using CompiledWorkflowPtr = std::shared_ptr<const CompiledWorkflow>;

}  // namespace leadline::engine
