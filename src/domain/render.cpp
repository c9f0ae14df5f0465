#include "domain/render.h"

#include "domain/lead_timezone.h"

namespace leadline::domain {
using util::format_iso;

Json iso_or_null(const std::optional<util::Millis>& at) {
  return at ? Json(format_iso(*at)) : Json(nullptr);
}

Json workflow_json(const Workflow& w) {
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

Json lead_json(const Lead& l, const Json& workflow_settings) {
  Json j;
  j["id"] = l.id;
  j["workflow_id"] = l.workflow_id;
  j["phone_number"] = l.phone_number;
  j["dynamic_variables"] = l.variables;
  j["status"] = to_string(l.status);
  j["current_node_id"] = or_null(l.current_node_id);
  j["stalled"] = l.stalled;
  // Why a rule (not a DROPPED node) ended the lead: "suppressed" (the do-not-call list).
  const auto drop_reason = l.context.find("drop_reason");
  j["drop_reason"] = l.status == LeadStatus::kDropped && drop_reason != l.context.end()
                         ? *drop_reason
                         : Json(nullptr);
  const auto zone = resolve_lead_timezone(l.variables, l.phone_number, workflow_settings);
  j["timezone"] = zone.zone.name();
  j["timezone_source"] = zone.source;
  j["next_action_at"] = iso_or_null(l.next_action_at);
  j["consent"] = l.consent;
  j["enrolled_at"] = format_iso(l.enrolled_at);
  j["created_at"] = format_iso(l.created_at);
  j["updated_at"] = format_iso(l.updated_at);
  return j;
}

Json call_json(const Call& c) {
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

}  // namespace leadline::domain
