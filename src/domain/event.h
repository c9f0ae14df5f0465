#pragma once
// Outbound webhook events (spec §7): their types, the event value the engine and the
// lifecycle write to the outbox, and pure builders of their payloads. No I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/graph.h"
#include "domain/lead.h"
#include "domain/workflow.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

enum class EventType {
  kLeadCompleted,
  kLeadDropped,
  kLeadFailed,
  kLeadStalled,
  kLeadNodeEntered,
  kCallCompleted,
  kCallFailed,
  kCallNoAnswer,
  kWorkflowStatusChanged,
  kLeadEvent,  // an event a client reported about the lead (POST /v1/events)
};
inline constexpr int kEventTypeCount = 10;
std::string_view to_string(EventType type);
std::optional<EventType> event_type_from_string(std::string_view text);
// Every type name, in the order above ("workflow.lead.completed", ...).
const std::vector<std::string>& event_type_names();

// A set of event types as bits: what some webhook of an organization subscribes to.
using EventMask = std::uint32_t;
constexpr EventMask event_bit(EventType type) { return EventMask{1} << static_cast<int>(type); }

struct Event {
  std::string id;  // "evt_..."; the X-Event-Id of every delivery of it
  std::string org_id;
  EventType type = EventType::kLeadNodeEntered;
  // Deliveries of one webhook with the same key are made in creation order: the lead id,
  // or the workflow id for workflow.status_changed.
  std::string order_key;
  Json payload = Json::object();
  util::Millis created_at = 0;
};

// The event a finished call reports: COMPLETED → call.completed, FAILED → call.failed,
// NO_ANSWER / BUSY / VOICEMAIL → call.no_answer; nullopt for anything else.
std::optional<EventType> call_event_type(std::string_view outcome);

// A workflow.lead.* event: {"lead": <lead as the API shows it>, "workflow_id", "node":
// {"id","type","label"} or null, plus `extra`'s keys (outcome, reason, ...)}.
Event lead_event(EventType type, const Lead& lead, const Json& workflow_settings, const Node* node,
                 util::Millis now, Json extra = Json::object());
// A call.* event for a call whose outcome is known (type from call_event_type): {"lead",
// "workflow_id", "node_id", "outcome", "call": <call as the API shows it>}.
Event call_event(EventType type, const Lead& lead, const Json& workflow_settings, const Call& call,
                 util::Millis now);
// workflow.status_changed: {"workflow": <after>, "previous_status", "status", "action"}.
Event workflow_status_event(const Workflow& after, WorkflowStatus previous, LifecycleAction action,
                            util::Millis now);

// The body POSTed to a webhook: {"event_type", "created_at", "payload"}.
std::string webhook_body(std::string_view type, util::Millis created_at, const Json& payload);

}  // namespace leadline::domain
