// Operational routes of spec §8: health, readiness, metrics and the OpenAPI document.
#include <spdlog/spdlog.h>

#include "api/openapi.h"
#include "api/routes.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

// The process is up and answering; the database is /readyz's business.
Response healthz(const Request&, Services&) { return Response::json(200, {{"status", "ok"}}); }

Response readyz(const Request& request, Services& services) {
  try {
    services.store.ping();
  } catch (const std::exception& e) {
    spdlog::warn("{} {}: {}", request.method, request.path, e.what());
    if (services.database_errors) services.database_errors->add();
    throw http::ApiError(503, Json("Database is not available"));
  }
  return Response::json(200, {{"status", "ready"}});
}

void write_database_counts(const store::OpsCounts& counts, util::Millis now,
                           util::MetricsWriter& out) {
  out.family("leadline_leads", "gauge", "Leads by status.");
  for (const auto& [status, n] : counts.leads_by_status)
    out.sample("leadline_leads", {{"status", status}}, static_cast<double>(n));
  out.family("leadline_calls", "gauge", "Ended calls by outcome.");
  for (const auto& [outcome, n] : counts.calls_by_outcome)
    out.sample("leadline_calls", {{"outcome", outcome}}, static_cast<double>(n));
  out.family("leadline_due_leads", "gauge", "Leads due now and not yet stepped.");
  out.sample("leadline_due_leads", {}, static_cast<double>(counts.due_leads));
  out.family("leadline_due_oldest_seconds", "gauge",
             "How long the longest-waiting due lead has been due (0: none).");
  out.sample("leadline_due_oldest_seconds", {},
             counts.oldest_due ? static_cast<double>(now - *counts.oldest_due) / 1000.0 : 0.0);
  out.family("leadline_call_dispatch_queue", "gauge", "Calls queued for the call provider.");
  out.sample("leadline_call_dispatch_queue", {}, static_cast<double>(counts.queued_calls));
  out.family("leadline_webhook_delivery_queue", "gauge", "Webhook deliveries not yet done.");
  out.sample("leadline_webhook_delivery_queue", {}, static_cast<double>(counts.pending_deliveries));
  if (counts.sqlite_memory) {
    out.family("leadline_sqlite_memory_bytes", "gauge",
               "Memory SQLite holds in this process: page caches (--sqlite-cache-mb) and "
               "statements.");
    out.sample("leadline_sqlite_memory_bytes", {}, static_cast<double>(*counts.sqlite_memory));
  }
}

// Counts from the database are read first, so a failure to read them is already in
// leadline_database_errors_total; the in-memory families are answered either way.
Response metrics(const Request& request, Services& services) {
  util::MetricsWriter database;
  try {
    const auto now = services.clock.now();
    write_database_counts(services.store.ops_counts(now), now, database);
  } catch (const std::exception& e) {
    spdlog::warn("{} {}: database counts unavailable: {}", request.method, request.path, e.what());
    if (services.database_errors) services.database_errors->add();
    database = util::MetricsWriter();
  }
  std::string body = services.metrics ? services.metrics->render() : std::string();
  body += database.text();
  return Response::text(200, std::move(body), "text/plain; version=0.0.4; charset=utf-8");
}

Response openapi(const Request&, Services&) {
  static const std::string body = openapi_document().dump();
  return Response::text(200, body, "application/json");
}
}  // namespace

void register_ops_routes(http::Router& router, Services& s) {
  router.add("GET", "/healthz", bind(healthz, s), /*requires_auth=*/false);
  router.add("GET", "/readyz", bind(readyz, s), /*requires_auth=*/false);
  router.add("GET", "/metrics", bind(metrics, s), /*requires_auth=*/false);
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
  register_suppression_routes(router, services);
  register_eligibility_routes(router, services);
  register_organization_routes(router, services);
  register_call_event_routes(router, services);
  register_event_routes(router, services);
}

}  // namespace leadline::api
