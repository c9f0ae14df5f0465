#include "domain/event.h"

#include "domain/render.h"
#include "util/ids.h"

namespace leadline::domain {
namespace {
Event make_event(EventType type, std::string org_id, std::string order_key, Json payload,
                 util::Millis now) {
  Event e;
  e.id = util::new_id("evt");
  e.org_id = std::move(org_id);
  e.type = type;
  e.order_key = std::move(order_key);
  e.payload = std::move(payload);
  e.created_at = now;
  return e;
}
}  // namespace

const std::vector<std::string>& event_type_names() {
  static const std::vector<std::string> kNames = {"workflow.lead.completed",
                                                  "workflow.lead.dropped",
                                                  "workflow.lead.failed",
                                                  "workflow.lead.stalled",
                                                  "workflow.lead.node_entered",
                                                  "call.completed",
                                                  "call.failed",
                                                  "call.no_answer",
                                                  "workflow.status_changed",
                                                  "workflow.lead.event"};
  return kNames;
}

std::string_view to_string(EventType type) {
  return event_type_names().at(static_cast<size_t>(type));
}

std::optional<EventType> event_type_from_string(std::string_view text) {
  const auto& names = event_type_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<EventType>(i);
  return std::nullopt;
}

std::optional<EventType> call_event_type(std::string_view outcome) {
  if (outcome == "COMPLETED") return EventType::kCallCompleted;
  if (outcome == "FAILED") return EventType::kCallFailed;
  if (outcome == "NO_ANSWER" || outcome == "BUSY" || outcome == "VOICEMAIL")
    return EventType::kCallNoAnswer;
  return std::nullopt;
}

Event lead_event(EventType type, const Lead& lead, const Json& workflow_settings, const Node* node,
                 util::Millis now, Json extra) {
  Json payload = extra.is_object() ? std::move(extra) : Json::object();
  payload["lead"] = lead_json(lead, workflow_settings);
  payload["workflow_id"] = lead.workflow_id;
  payload["node"] = node ? Json{{"id", node->id},
                                {"type", std::string(to_string(node->type))},
                                {"label", node->label}}
                         : Json(nullptr);
  return make_event(type, lead.org_id, lead.id, std::move(payload), now);
}

Event call_event(EventType type, const Lead& lead, const Json& workflow_settings, const Call& call,
                 util::Millis now) {
  Json payload = {{"lead", lead_json(lead, workflow_settings)},
                  {"workflow_id", lead.workflow_id},
                  {"node_id", call.node_id},
                  {"outcome", call.outcome ? Json(*call.outcome) : Json(nullptr)},
                  {"call", call_json(call)}};
  return make_event(type, lead.org_id, lead.id, std::move(payload), now);
}

Event workflow_status_event(const Workflow& after, WorkflowStatus previous, LifecycleAction action,
                            util::Millis now) {
  Json payload = {{"workflow", workflow_json(after)},
                  {"previous_status", std::string(to_string(previous))},
                  {"status", std::string(to_string(after.status))},
                  {"action", std::string(to_string(action))}};
  return make_event(EventType::kWorkflowStatusChanged, after.org_id, after.id, std::move(payload),
                    now);
}

std::string webhook_body(std::string_view type, util::Millis created_at, const Json& payload) {
  Json body = {{"event_type", std::string(type)},
               {"created_at", util::format_iso(created_at)},
               {"payload", payload}};
  return body.dump();
}

}  // namespace leadline::domain
