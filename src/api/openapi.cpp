#include "api/openapi.h"

#include <string>

namespace leadline::api {
namespace {
struct Operation {
  const char* method;
  const char* path;
  const char* tag;
  const char* summary;
  int success;
  bool has_body;
  bool paginated;
};

// One line per route of spec/api.md. Keep in step with the register_*_routes functions.
constexpr Operation kOperations[] = {
    {"GET", "/healthz", "ops", "Liveness: the process is up (no auth)", 200, false, false},
    {"GET", "/readyz", "ops", "Readiness: the database answers, else 503 (no auth)", 200, false,
     false},
    {"GET", "/metrics", "ops", "Prometheus text exposition format 0.0.4 (no auth)", 200, false,
     false},
    {"GET", "/v1/openapi.json", "ops", "This document", 200, false, false},
    {"POST", "/v1/api-keys", "api-keys", "Create an API key; the secret is shown once", 201, true,
     false},
    {"GET", "/v1/api-keys", "api-keys", "List the organization's API keys", 200, false, false},
    {"DELETE", "/v1/api-keys/{keyId}", "api-keys", "Revoke an API key", 200, false, false},
    {"POST", "/v1/workflows", "workflows", "Create a workflow (draft)", 201, true, false},
    {"GET", "/v1/workflows", "workflows", "List workflows (status, q, sortBy, sortOrder)", 200,
     false, true},
    {"GET", "/v1/workflows/{id}", "workflows", "Get a workflow", 200, false, false},
    {"PATCH", "/v1/workflows/{id}", "workflows", "Update title, description or settings", 200, true,
     false},
    {"DELETE", "/v1/workflows/{id}", "workflows", "Delete a workflow that is not active", 200,
     false, false},
    {"POST", "/v1/workflows/{id}/duplicate", "workflows", "Copy a workflow with its graph", 201,
     false, false},
    {"POST", "/v1/workflows/{id}/activate", "lifecycle", "draft -> active (validates the graph)",
     200, false, false},
    {"POST", "/v1/workflows/{id}/pause", "lifecycle", "active -> paused", 200, false, false},
    {"POST", "/v1/workflows/{id}/resume", "lifecycle", "paused -> active", 200, false, false},
    {"POST", "/v1/workflows/{id}/cancel", "lifecycle", "draft/active/paused -> cancelled", 200,
     false, false},
    {"POST", "/v1/workflows/{id}/complete", "lifecycle", "active/paused -> completed", 200, false,
     false},
    {"PATCH", "/v1/workflows/{id}/status", "lifecycle",
     "Apply {\"action\": activate|pause|resume|deactivate}", 200, true, false},
    {"GET", "/v1/workflows/{id}/validation", "workflows", "Validate the graph", 200, false, false},
    {"GET", "/v1/workflows/{id}/graph", "workflows", "Workflow, nodes, edges and lead counts", 200,
     false, false},
    {"GET", "/v1/workflows/{id}/nodes", "nodes", "List nodes in creation order", 200, false, false},
    {"POST", "/v1/workflows/{id}/nodes", "nodes", "Create a node", 201, true, false},
    {"GET", "/v1/workflows/{id}/nodes/{nodeId}", "nodes", "Get a node", 200, false, false},
    {"PATCH", "/v1/workflows/{id}/nodes/{nodeId}", "nodes", "Update label, config or position", 200,
     true, false},
    {"DELETE", "/v1/workflows/{id}/nodes/{nodeId}", "nodes", "Delete a node and its edges", 200,
     false, false},
    {"GET", "/v1/workflows/{id}/edges", "edges", "List edges in creation order", 200, false, false},
    {"POST", "/v1/workflows/{id}/edges", "edges", "Create an edge", 201, true, false},
    {"DELETE", "/v1/workflows/{id}/edges/{edgeId}", "edges", "Delete an edge", 200, false, false},
    {"POST", "/v1/workflows/{id}/leads", "leads",
     "Enrol leads: one JSON lead, {\"leads\": [...]}, or a CSV/XLSX file (multipart, field "
     "file); ?skip_invalid=true",
     201, true, false},
    {"GET", "/v1/workflows/{id}/leads", "leads", "List leads (status, current_node_id, leadIds)",
     200, false, true},
    {"GET", "/v1/workflows/{id}/leads/variable-keys", "leads",
     "Every dynamic-variable name enrolled, first-seen order", 200, false, false},
    {"GET", "/v1/workflows/{id}/leads/{leadId}", "leads", "Get a lead", 200, false, false},
    {"DELETE", "/v1/workflows/{id}/leads/{leadId}", "leads", "Remove a lead from the workflow", 200,
     false, false},
    {"GET", "/v1/workflows/{id}/leads/{leadId}/history", "leads",
     "A lead's node visits, oldest first, with its current position", 200, false, false},
    {"GET", "/v1/workflows/{id}/leads/{leadId}/projection", "leads",
     "When each future step of a lead would run, given its next call outcomes (outcomes=...)", 200,
     false, false},
    {"GET", "/v1/calls", "calls", "List call records (workflow_id, lead_id, status)", 200, false,
     true},
    {"GET", "/v1/calls/{id}", "calls", "Get a call record", 200, false, false},
    {"POST", "/v1/user-webhooks", "webhooks",
     "Subscribe a URL to events; the signing secret is shown once", 201, true, false},
    {"GET", "/v1/user-webhooks", "webhooks", "List webhooks (without secrets)", 200, false, true},
    {"GET", "/v1/user-webhooks/{id}", "webhooks", "Get a webhook", 200, false, false},
    {"PATCH", "/v1/user-webhooks/{id}", "webhooks", "Update url, events, secret or is_active", 200,
     true, false},
    {"DELETE", "/v1/user-webhooks/{id}", "webhooks",
     "Delete a webhook; its pending deliveries are dropped", 200, false, false},
    {"GET", "/v1/user-webhooks/{id}/deliveries", "webhooks",
     "Deliveries of a webhook, newest first (status=pending|delivered|failed)", 200, false, true},
    {"GET", "/v1/workflows/{id}/leads/{leadId}/eligibility", "leads",
     "Whether the lead may be called now; if not, every rule that blocks it and until when", 200,
     false, false},
    {"GET", "/v1/eligibility", "compliance",
     "Whether a number may be called now (phone_number, workflow_id): do-not-call list, state "
     "rule, contact caps",
     200, false, false},
    {"GET", "/v1/organization", "compliance",
     "The organization, with the settings its workflows inherit (contact_caps, opt_out, "
     "state_rules)",
     200, false, false},
    {"PATCH", "/v1/organization", "compliance",
     "Rename the organization or change its settings (merged key by key; null restores a default)",
     200, true, false},
    {"POST", "/v1/events", "events",
     "Report an event about a lead or a number (or {\"events\": [...]}, up to 10,000)", 201, true,
     false},
    {"GET", "/v1/workflows/{id}/leads/{leadId}/events", "events",
     "The events that reached a lead, oldest first", 200, false, true},
    {"POST", "/v1/suppressions", "suppressions",
     "Add numbers to the do-not-call list: one entry, {\"entries\": [...]} or a CSV/XLSX file "
     "(skip_invalid=true adds the valid rows)",
     201, true, false},
    {"GET", "/v1/suppressions", "suppressions",
     "The do-not-call list, newest first (search=<digits>, workflow_id)", 200, false, true},
    {"GET", "/v1/suppressions/{id}", "suppressions", "Get a do-not-call entry", 200, false, false},
    {"DELETE", "/v1/suppressions/{id}", "suppressions",
     "Delete a do-not-call entry: the number may be called again", 200, false, false},
    {"POST", "/v1/call-events", "calls",
     "The call provider reports a call (no API key; X-Signature: sha256=<HMAC of the body>)", 200,
     true, false},
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Json error_response(const char* description) {
  return {
      {"description", description},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}
}  // namespace

Json openapi_document() {
  Json paths = Json::object();
  for (const auto& op : kOperations) {
    Json operation;
    operation["tags"] = Json::array({op.tag});
    operation["summary"] = op.summary;
    Json parameters = Json::array();
    const std::string path = op.path;
    for (size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
      const size_t close = path.find('}', open);
      parameters.push_back({{"name", path.substr(open + 1, close - open - 1)},
                            {"in", "path"},
                            {"required", true},
                            {"schema", {{"type", "string"}}}});
    }
    if (op.paginated) {
      parameters.push_back(
          {{"name", "page"}, {"in", "query"}, {"schema", {{"type", "integer"}, {"minimum", 1}}}});
      parameters.push_back({{"name", "limit"},
                            {"in", "query"},
                            {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}});
    }
    if (!parameters.empty()) operation["parameters"] = parameters;
    if (op.has_body)
      operation["requestBody"] = {
          {"required", true},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    // Lead enrolment also takes a CSV or XLSX upload.
    if (op.has_body && std::string_view(op.tag) == "leads")
      operation["requestBody"]["content"]["multipart/form-data"] = {
          {"schema",
           {{"type", "object"},
            {"properties", {{"file", {{"type", "string"}, {"format", "binary"}}}}}}}};
    Json responses;
    responses[std::to_string(op.success)] = {
        {"description", "Success"},
        {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    if (path == "/metrics")
      responses[std::to_string(op.success)]["content"] = {
          {"text/plain", {{"schema", {{"type", "string"}}}}}};
    if (path == "/readyz") responses["503"] = error_response("The database does not answer");
    responses["400"] = error_response("Invalid input");
    if (path.starts_with("/v1")) responses["401"] = error_response("Missing or invalid API key");
    if (path.find('{') != std::string::npos) responses["404"] = error_response("Not found");
    responses["429"] = error_response("Rate limited");
    operation["responses"] = responses;
    if (!path.starts_with("/v1") || path == "/v1/call-events")
      operation["security"] = Json::array();
    paths[path][lower(op.method)] = operation;
  }
  Json doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = {{"title", "Leadline API"},
                 {"version", "1.0.0"},
                 {"description", "Multi-step outbound calling workflows (DialNexa-compatible)."}};
  doc["servers"] = Json::array({{{"url", "/"}}});
  doc["security"] = Json::array({{{"bearerAuth", Json::array()}}});
  doc["paths"] = paths;
  doc["components"] = {
      {"securitySchemes",
       {{"bearerAuth",
         {{"type", "http"}, {"scheme", "bearer"}, {"description", "key_id:secret"}}}}},
      {"schemas",
       {{"Error",
         {{"type", "object"},
          {"required", {"statusCode", "message", "error"}},
          {"properties",
           {{"statusCode", {{"type", "integer"}}},
            {"message",
             {{"oneOf",
               {{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}}}}},
            {"error", {{"type", "string"}}}}}}}}}};
  return doc;
}

}  // namespace leadline::api
