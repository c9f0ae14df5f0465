#pragma once
// Events clients report about leads (POST /v1/events, extension of the spec): a meeting
// booked, a reply, a deal won. What one does to a lead: it is kept in the lead's context (for
// CONDITIONAL fields and WAIT_FOR_EVENT), an exit rule of the workflow may end the lead, and
// a lead waiting for it is made due. Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/config_fields.h"
#include "domain/graph.h"
#include "domain/lead.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

struct InboundEvent {
  std::string id;  // "ev_..."
  std::string org_id;
  std::string type;                         // is_event_type_name
  std::optional<std::string> lead_id;       // one lead, or
  std::optional<std::string> phone_number;  // E.164: every open lead with that number
  std::optional<std::string> workflow_id;   // limits phone_number to one workflow
  Json data = Json::object();
  std::optional<std::string> idempotency_key;
  util::Millis created_at = 0;
};

enum class EventEffect {
  kRecorded,  // kept in the lead's history and context, nothing else
  kResumed,   // the lead waits for events (WAIT_FOR_EVENT) and is due to look at it
  kExited,    // an exit rule ended the lead
};
std::string_view to_string(EventEffect effect);
// The inverse of to_string; anything else reads as kRecorded.
EventEffect event_effect_from_string(std::string_view text);

// settings.exit_rules: [{"event": "meeting_booked", "status": "completed" | "dropped"}].
struct ExitRule {
  std::string event;
  LeadStatus status = LeadStatus::kCompleted;
};
void check_exit_rules(const Json& rules, ConfigProblems& problems);  // field "exit_rules"
// The first rule of the workflow's settings for events of `type` (case-insensitive).
std::optional<ExitRule> matching_exit_rule(const Json& workflow_settings, std::string_view type);

struct EventApplied {
  EventEffect effect = EventEffect::kRecorded;
  std::vector<HistoryEntry> history;  // the event's row, and the exit's when it ended the lead
};

// Applies the event to the lead: counts it in lead.context.events.<type> ({"count", "data",
// "seq"}), then ends the lead by an exit rule of its workflow (a call in flight is still
// recorded when it ends, as for a removed lead), or, when the lead waits in WAIT_FOR_EVENT,
// makes it due now (the engine decides whether the type is one the node waits for). A
// terminal lead only records it. `node` is the node the lead stands on (nullptr: none).
// While its workflow is paused (`paused_at`: since when), a woken lead is due at the pause's
// start instead: resuming shifts the waits of the workflow's leads by the pause's length (the
// wait's timeout stood still), which makes that the moment the workflow runs again.
EventApplied apply_event(Lead& lead, const InboundEvent& event, const Json& workflow_settings,
                         const Node* node, util::Millis now,
                         std::optional<util::Millis> paused_at = std::nullopt);

// The sequence number of the lead's latest event (0: none yet): a WAIT_FOR_EVENT node counts
// only events numbered above the one current when the lead entered it.
std::int64_t latest_event_seq(const Lead& lead);
// The first of `types` that came after event number `after`, by arrival; nullopt when none.
std::optional<std::string> event_after(const Lead& lead, const std::vector<std::string>& types,
                                       std::int64_t after);

}  // namespace leadline::domain
