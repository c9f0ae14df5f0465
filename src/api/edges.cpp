// Routes of spec §4: the edges of a workflow graph.
#include <algorithm>

#include "api/input.h"
#include "api/render.h"
#include "api/routes.h"
#include "http/errors.h"
#include "util/ids.h"

namespace leadline::api {
namespace {
using domain::Edge;
using http::Request;
using http::Response;

constexpr size_t kMaxEdgeLabel = 100;

Response list_edges(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  Json data = Json::array();
  for (const auto& edge : services.store.load_graph(workflow.id).edges)
    data.push_back(to_json(edge));
  return Response::json(200, {{"data", std::move(data)}});
}

Response create_edge(const Request& request, Services& services) {
  const Json body = request.json();
  const auto workflow = require_editable_workflow(request, services);
  FieldErrors errors;
  auto from = read_string(body, "from_node_id", errors);
  auto to = read_string(body, "to_node_id", errors);
  if (!from && !body.contains("from_node_id")) errors.add("from_node_id is required");
  if (!to && !body.contains("to_node_id")) errors.add("to_node_id is required");
  auto label = read_nullable_string(body, "label", errors);
  std::optional<std::string> edge_label = label.value_or(std::nullopt);
  if (edge_label && edge_label->empty()) edge_label.reset();  // "" means unlabelled
  if (edge_label) check_length(*edge_label, "label", 1, kMaxEdgeLabel, errors);
  errors.throw_if_any();

  const auto graph = services.store.load_graph(workflow.id);
  auto find = [&](const std::string& id) {
    return std::find_if(graph.nodes.begin(), graph.nodes.end(),
                        [&](const domain::Node& n) { return n.id == id; });
  };
  auto from_node = find(*from);
  if (from_node == graph.nodes.end())
    throw http::not_found("Node " + *from + " (from_node_id) not found in this workflow");
  if (find(*to) == graph.nodes.end())
    throw http::not_found("Node " + *to + " (to_node_id) not found in this workflow");
  if (domain::is_terminal(from_node->type))
    throw http::bad_request(std::string(to_string(from_node->type)) +
                            " is a terminal node and cannot have outgoing edges");

  Edge edge{util::new_id("edge"), workflow.id, *from, *to, edge_label, services.clock.now()};
  services.store.insert_edge(edge, edge.created_at);
  return Response::json(201, to_json(edge));
}

Response delete_edge(const Request& request, Services& services) {
  const auto workflow = require_editable_workflow(request, services);
  if (!services.store.delete_edge(workflow.id, request.param("edgeId"), services.clock.now()))
    throw http::not_found("Edge not found");
  return Response::json(200, {{"message", "Edge deleted."}});
}
}  // namespace

void register_edge_routes(http::Router& router, Services& s) {
  router.add("GET", "/v1/workflows/{id}/edges", bind(list_edges, s));
  router.add("POST", "/v1/workflows/{id}/edges", bind(create_edge, s));
  router.add("DELETE", "/v1/workflows/{id}/edges/{edgeId}", bind(delete_edge, s));
}

}  // namespace leadline::api
