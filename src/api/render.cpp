#include "api/render.h"

#include "domain/lead_timezone.h"

namespace leadline::api {

using util::format_iso;

Json to_json(const domain::Workflow& w) {
  Json j;
  j["id"] = w.id;
  j["organization_id"] = w.org_id;
  j["title"] = w.title;
  j["name"] = w.title;
  j["description"] = w.description ? Json(*w.description) : Json(nullptr);
  j["status"] = to_string(w.status);
  j["settings"] = w.settings;
  j["node_count"] = w.node_count;
  j["edge_count"] = w.edge_count;
  j["enrolled_leads"] = w.enrolled_leads;
  j["created_at"] = format_iso(w.created_at);
  j["updated_at"] = format_iso(w.updated_at);
  return j;
}

Json to_json(const domain::Node& n) {
  Json j;
  j["id"] = n.id;
  j["workflow_id"] = n.workflow_id;
  j["node_type"] = to_string(n.type);
  j["label"] = n.label;
  j["position_x"] = n.position_x;
  j["position_y"] = n.position_y;
  j["config"] = n.config;
  j["created_at"] = format_iso(n.created_at);
  j["updated_at"] = format_iso(n.updated_at);
  return j;
}

Json to_json(const domain::Edge& e) {
  Json j;
  j["id"] = e.id;
  j["workflow_id"] = e.workflow_id;
  j["from_node_id"] = e.from_node_id;
  j["to_node_id"] = e.to_node_id;
  j["label"] = e.label ? Json(*e.label) : Json(nullptr);
  j["created_at"] = format_iso(e.created_at);
  return j;
}

namespace {
template <typename T>
Json or_null(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}
Json iso_or_null(const std::optional<util::Millis>& ms) {
  return ms ? Json(format_iso(*ms)) : Json(nullptr);
}
}  // namespace

Json to_json(const domain::Lead& l, const Json& workflow_settings) {
  Json j;
  j["id"] = l.id;
  j["workflow_id"] = l.workflow_id;
  j["phone_number"] = l.phone_number;
  j["dynamic_variables"] = l.variables;
  j["status"] = to_string(l.status);
  j["current_node_id"] = or_null(l.current_node_id);
  j["stalled"] = l.stalled;
  const auto zone = domain::resolve_lead_timezone(l.variables, l.phone_number, workflow_settings);
  j["timezone"] = zone.zone.name();
  j["timezone_source"] = zone.source;
  j["next_action_at"] = iso_or_null(l.next_action_at);
  j["enrolled_at"] = format_iso(l.enrolled_at);
  j["created_at"] = format_iso(l.created_at);
  j["updated_at"] = format_iso(l.updated_at);
  return j;
}

Json to_json(const domain::HistoryEntry& h) {
  Json j;
  j["node_id"] = h.node_id;
  j["node_type"] = h.node_type;
  j["label"] = h.label;
  j["status"] = h.status;
  j["outcome"] = or_null(h.outcome);
  j["edge_label"] = or_null(h.edge_label);
  j["to_node_id"] = or_null(h.to_node_id);
  j["call_id"] = or_null(h.call_id);
  j["attempt"] = or_null(h.attempt);
  j["started_at"] = format_iso(h.started_at);
  j["ended_at"] = iso_or_null(h.ended_at);
  j["reason"] = or_null(h.reason);
  return j;
}

Json to_json(const domain::Call& c) {
  Json j;
  j["id"] = c.id;
  j["workflow_id"] = c.workflow_id;
  j["lead_id"] = c.lead_id;
  j["node_id"] = c.node_id;
  j["attempt"] = c.attempt;
  j["to_phone_number"] = c.to_phone_number;
  j["from_phone_number"] = c.from_phone_number;
  j["agent_id"] = c.agent_id;
  j["status"] = c.status;
  j["outcome"] = or_null(c.outcome);
  j["end_reason"] = or_null(c.end_reason);
  j["duration_seconds"] = or_null(c.duration_seconds);
  j["postcall_analysis"] = c.postcall_analysis.is_object() ? c.postcall_analysis : Json(nullptr);
  j["transcript"] = or_null(c.transcript);
  j["created_at"] = format_iso(c.created_at);
  j["ended_at"] = iso_or_null(c.ended_at);
  // (ext) how the call went to an external provider
  j["agent_version_number"] = or_null(c.agent_version_number);
  j["provider_call_id"] = or_null(c.provider_call_id);
  j["dispatched_at"] = iso_or_null(c.dispatched_at);
  j["dispatch_attempts"] = c.dispatch_attempts;
  j["dispatch_error"] = or_null(c.dispatch_error);
  return j;
}

}  // namespace leadline::api
