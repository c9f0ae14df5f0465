#pragma once
// Node configuration rules of spec §3.2: validation that lists every problem, and typed
// views the engine reads at run time. Pure; nothing here throws for user input.
#include <optional>
#include <string>
#include <vector>

#include "domain/calling_window.h"
#include "domain/config_fields.h"
#include "domain/graph.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

// One message per problem, each naming the field ("config.agent_id is required").
// Empty when the config is valid. Unknown keys are ignored (and kept by the caller).
std::vector<std::string> validate_node_config(NodeType type, const Json& config);

// A CONDITIONAL config in the {"condition_field", "branches"} form rather than the
// {"logic", "conditions"} form.
bool uses_branch_form(const Json& conditional_config);

struct VoiceCallConfig {
  std::string agent_id;
  std::string from_phone_number;
  std::optional<int> agent_version_number;
  int max_attempts = 1;
  double retry_delay_minutes = 60;
  std::vector<std::string> retry_on = {"NO_ANSWER", "BUSY", "VOICEMAIL"};  // upper case
};

struct TimeConfig {
  std::optional<util::Millis> fixed_delay_ms;  // set in the fixed-duration mode
  std::optional<std::string> pca_field;        // set in the postcall_analysis mode
  std::optional<double> fallback_minutes;      // postcall_analysis mode only
};

// Typed views of a config that passed validate_node_config; anything missing or
// malformed falls back to the default rather than failing.
VoiceCallConfig parse_voice_call_config(const Json& config);
TimeConfig parse_time_config(const Json& config);

}  // namespace leadline::domain
