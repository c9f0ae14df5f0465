// Routes of spec §3: the nodes of a workflow graph.
#include "api/input.h"
#include "api/render.h"
#include "api/routes.h"
#include "domain/node_config.h"
#include "http/errors.h"
#include "util/ids.h"

namespace leadline::api {
namespace {
using domain::Node;
using http::Request;
using http::Response;

constexpr size_t kMaxLabel = 200;

void check_config(domain::NodeType type, const Json& config, FieldErrors& errors) {
  for (auto& message : domain::validate_node_config(type, config)) errors.add(std::move(message));
}

// Reads label, positions and config (the fields POST and PATCH share) into `node`.
void read_common_fields(const Json& body, Node& node, FieldErrors& errors) {
  if (auto label = read_string(body, "label", errors)) {
    check_length(*label, "label", 1, kMaxLabel, errors);
    node.label = *label;
  }
  if (auto x = read_number(body, "position_x", errors)) node.position_x = *x;
  if (auto y = read_number(body, "position_y", errors)) node.position_y = *y;
  if (auto it = body.find("config"); it != body.end()) {
    if (it->is_object())
      node.config = *it;
    else
      errors.add("config must be an object");
  }
}

// WEBHOOK nodes and http.request actions obey the private-target rule (spec §7).
void check_node_target(const Node& node, const Services& services) {
  if (node.type == domain::NodeType::kWebhook) {
    if (auto url = node.config.find("url"); url != node.config.end() && url->is_string())
      check_outbound_url(url->get<std::string>(), "config.url", services);
  } else if (node.type == domain::NodeType::kApplication &&
             node.config.value("provider_key", Json("")) == "http" &&
             node.config.value("action_key", Json("")) == "request") {
    const Json action = node.config.value("action_config", Json::object());
    if (auto url = action.find("url"); url != action.end() && url->is_string())
      check_outbound_url(url->get<std::string>(), "config.action_config.url", services);
  }
}

Node find_node_or_404(const Request& request, Services& services, const std::string& workflow_id) {
  const std::string& node_id = request.param("nodeId");
  for (auto& node : services.store.load_graph(workflow_id).nodes)
    if (node.id == node_id) return std::move(node);
  throw http::not_found("Node not found");
}

Response list_nodes(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  Json data = Json::array();
  for (const auto& node : services.store.load_graph(workflow.id).nodes)
    data.push_back(to_json(node));
  return Response::json(200, {{"data", std::move(data)}});
}

Response create_node(const Request& request, Services& services) {
  const Json body = request.json();
  const auto workflow = require_editable_workflow(request, services);
  FieldErrors errors;
  Node node;
  auto type_name = read_string(body, "node_type", errors);
  std::optional<domain::NodeType> type;
  if (type_name) {
    type = domain::node_type_from_string(*type_name);
    if (!type) errors.add("node_type must be one of " + domain::valid_node_types());
  } else if (!body.contains("node_type")) {
    errors.add("node_type is required; one of " + domain::valid_node_types());
  }
  read_common_fields(body, node, errors);
  if (type) {
    node.type = *type;
    check_config(node.type, node.config, errors);
  }
  errors.throw_if_any();
  check_node_target(node, services);
  if (node.label.empty()) node.label = domain::default_label(node.type);
  node.id = util::new_id("node");
  node.workflow_id = workflow.id;
  node.created_at = node.updated_at = services.clock.now();
  services.store.insert_node(node, node.created_at);
  return Response::json(201, to_json(node));
}

Response get_node(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  return Response::json(200, to_json(find_node_or_404(request, services, workflow.id)));
}

Response update_node(const Request& request, Services& services) {
  const Json body = request.json();
  const auto workflow = require_editable_workflow(request, services);
  Node node = find_node_or_404(request, services, workflow.id);
  FieldErrors errors;
  if (auto it = body.find("node_type"); it != body.end()) {
    if (!it->is_string() || *it != to_string(node.type))
      errors.add("node_type cannot change; delete the node and create a new one");
  }
  read_common_fields(body, node, errors);
  if (body.contains("config")) check_config(node.type, node.config, errors);
  errors.throw_if_any();
  if (!body.contains("label") && !body.contains("config") && !body.contains("position_x") &&
      !body.contains("position_y"))
    throw http::bad_request("Nothing to update: send label, config, position_x or position_y");
  if (body.contains("config")) check_node_target(node, services);
  const auto now = services.clock.now();
  if (!services.store.update_node(node, now)) throw http::not_found("Node not found");
  node.updated_at = now;
  return Response::json(200, to_json(node));
}

Response delete_node(const Request& request, Services& services) {
  const auto workflow = require_editable_workflow(request, services);
  if (!services.store.delete_node(workflow.id, request.param("nodeId"), services.clock.now()))
    throw http::not_found("Node not found");
  return Response::json(200, {{"message", "Node deleted."}});
}
}  // namespace

void register_node_routes(http::Router& router, Services& s) {
  router.add("GET", "/v1/workflows/{id}/nodes", bind(list_nodes, s));
  router.add("POST", "/v1/workflows/{id}/nodes", bind(create_node, s));
  router.add("GET", "/v1/workflows/{id}/nodes/{nodeId}", bind(get_node, s));
  router.add("PATCH", "/v1/workflows/{id}/nodes/{nodeId}", bind(update_node, s));
  router.add("DELETE", "/v1/workflows/{id}/nodes/{nodeId}", bind(delete_node, s));
}

}  // namespace leadline::api
