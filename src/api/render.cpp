#include "api/render.h"

#include "domain/render.h"

namespace leadline::api {

using util::format_iso;

Json to_json(const domain::Workflow& w) { return domain::workflow_json(w); }

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

using domain::iso_or_null;
using domain::or_null;

Json to_json(const domain::Lead& l, const Json& workflow_settings) {
  return domain::lead_json(l, workflow_settings);
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

Json to_json(const domain::Call& c) { return domain::call_json(c); }

}  // namespace leadline::api
