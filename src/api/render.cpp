#include "api/render.h"

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

}  // namespace leadline::api
