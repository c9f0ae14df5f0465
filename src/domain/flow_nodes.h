#pragma once
// The WAIT_FOR_EVENT and SPLIT nodes (extension of spec §3.2): validation of their configs,
// typed views the engine reads, and the split's deterministic choice. Pure.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/config_fields.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

// The outcome of a WAIT_FOR_EVENT node whose timeout passed before any awaited event.
inline constexpr std::string_view kEventTimeout = "timeout";

// A name clients give events ("meeting_booked"): 1..64 of A-Z a-z 0-9 _ . : -
bool is_event_type_name(std::string_view text);

struct EventWaitConfig {
  std::vector<std::string> event_types;
  util::Millis timeout_ms = 0;
};
void check_wait_for_event(const Json& config, ConfigProblems& problems);
EventWaitConfig parse_wait_for_event_config(const Json& config);

struct SplitVariant {
  std::string label;
  std::int64_t weight = 1;
};
struct SplitConfig {
  std::vector<SplitVariant> variants;
};
void check_split(const Json& config, ConfigProblems& problems);
SplitConfig parse_split_config(const Json& config);

// The variant a lead takes at a SPLIT node: chosen by weight from a hash of the lead and node
// ids, so the same lead always takes the same one (also after a restart or on another
// process). nullptr when the config has no variant.
const SplitVariant* pick_variant(const SplitConfig& config, std::string_view lead_id,
                                 std::string_view node_id);

}  // namespace leadline::domain
