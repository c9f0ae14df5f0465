// Operational routes of spec §8: health and the OpenAPI document.
#include "api/openapi.h"
#include "api/routes.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

Response healthz(const Request&, Services& services) {
  services.store.has_organizations();  // throws (-> 500) when the database is unusable
  return Response::json(200, {{"status", "ok"}});
}

Response openapi(const Request&, Services&) {
  static const std::string body = openapi_document().dump();
  return Response::text(200, body, "application/json");
}
}  // namespace

void register_ops_routes(http::Router& router, Services& s) {
  router.add("GET", "/healthz", bind(healthz, s), /*requires_auth=*/false);
  router.add("GET", "/v1/openapi.json", bind(openapi, s));
}

void register_all_routes(http::Router& router, Services& services) {
  register_ops_routes(router, services);
  register_api_key_routes(router, services);
  register_workflow_routes(router, services);
  register_node_routes(router, services);
  register_edge_routes(router, services);
  register_lead_routes(router, services);
  register_projection_routes(router, services);
  register_call_routes(router, services);
  register_webhook_routes(router, services);
  register_call_event_routes(router, services);
}

}  // namespace leadline::api
