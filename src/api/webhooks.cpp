// Routes of spec §7: an organization's outbound webhooks and their deliveries.
#include <algorithm>

#include "api/input.h"
#include "api/routes.h"
#include "domain/event.h"
#include "domain/render.h"
#include "domain/template.h"
#include "http/errors.h"
#include "providers/target_check.h"
#include "util/ids.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;
using store::Webhook;

constexpr size_t kMaxUrl = 2048;
constexpr size_t kMinSecret = 16;
constexpr size_t kMaxSecret = 256;
constexpr size_t kGeneratedSecret = 40;

std::string known_events() {
  std::string out;
  for (const auto& name : domain::event_type_names()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// The secret is write-only: only its last four characters are ever shown again.
Json to_json(const Webhook& w) {
  return {{"id", w.id},
          {"url", w.url},
          {"events", w.events},
          {"is_active", w.is_active},
          {"has_secret", !w.secret.empty()},
          {"secret_last4", w.secret.size() >= 4 ? w.secret.substr(w.secret.size() - 4) : ""},
          {"created_at", util::format_iso(w.created_at)},
          {"updated_at", util::format_iso(w.updated_at)}};
}

Json to_json(const store::WebhookDelivery& d) {
  return {
      {"id", d.id},
      {"webhook_id", d.webhook_id},
      {"event_id", d.event_id},
      {"event_type", d.event_type},
      {"lead_id", d.event_type == "workflow.status_changed" ? Json(nullptr) : Json(d.order_key)},
      {"status", d.status},
      {"attempts", d.attempts},
      {"last_status_code", d.last_status_code ? Json(*d.last_status_code) : Json(nullptr)},
      {"last_error", d.last_error ? Json(*d.last_error) : Json(nullptr)},
      {"next_attempt_at", domain::iso_or_null(d.next_attempt_at)},
      {"created_at", util::format_iso(d.created_at)},
      {"delivered_at", domain::iso_or_null(d.delivered_at)},
      {"payload", d.payload}};
}

std::optional<std::string> read_url(const Json& body, FieldErrors& errors) {
  auto url = read_string(body, "url", errors);
  if (!url) return url;
  if (url->size() > kMaxUrl) {
    errors.add("url must be at most " + std::to_string(kMaxUrl) + " characters");
  } else if (!providers::parse_url(*url) || url->find_first_of(" \t\r\n") != std::string::npos) {
    errors.add("url must be an http:// or https:// URL with a host");
    return std::nullopt;
  }
  return url;
}

std::optional<std::vector<std::string>> read_events(const Json& body, FieldErrors& errors) {
  auto it = body.find("events");
  if (it == body.end()) return std::nullopt;
  if (!it->is_array() || it->empty()) {
    errors.add("events must be a non-empty list of event types: " + known_events());
    return std::nullopt;
  }
  std::vector<std::string> events;
  for (const auto& item : *it) {
    if (!item.is_string() || !domain::event_type_from_string(item.get<std::string>())) {
      errors.add("events: unknown event type " + item.dump() + "; known: " + known_events());
      return std::nullopt;
    }
    if (std::find(events.begin(), events.end(), item.get<std::string>()) == events.end())
      events.push_back(item.get<std::string>());
  }
  return events;
}

std::optional<std::string> read_secret(const Json& body, FieldErrors& errors) {
  auto secret = read_string(body, "secret", errors);
  if (secret && (secret->size() < kMinSecret || secret->size() > kMaxSecret))
    errors.add("secret must be " + std::to_string(kMinSecret) + " to " +
               std::to_string(kMaxSecret) + " characters");
  return secret;
}

std::optional<bool> read_active(const Json& body, FieldErrors& errors) {
  auto it = body.find("is_active");
  if (it == body.end()) return std::nullopt;
  if (!it->is_boolean()) {
    errors.add("is_active must be true or false");
    return std::nullopt;
  }
  return it->get<bool>();
}

Webhook require_webhook(const Request& request, Services& services) {
  auto found = services.store.find_webhook(request.org_id, request.param("id"));
  if (!found) throw http::not_found("Webhook not found");
  return *found;
}

Response create_webhook(const Request& request, Services& services) {
  const Json body = request.json();
  if (!body.is_object()) throw http::bad_request("body must be a JSON object");
  FieldErrors errors;
  auto url = read_url(body, errors);
  if (!body.contains("url")) errors.add("url is required");
  auto events = read_events(body, errors);
  if (!body.contains("events"))
    errors.add("events is required: a non-empty list of " + known_events());
  auto secret = read_secret(body, errors);
  auto active = read_active(body, errors);
  errors.throw_if_any();
  check_outbound_url(*url, "url", services);
  Webhook w;
  w.id = util::new_id("wh");
  w.org_id = request.org_id;
  w.url = *url;
  w.events = *events;
  w.secret = secret ? *secret : "whsec_" + util::random_base62(kGeneratedSecret);
  w.is_active = active.value_or(true);
  w.created_at = w.updated_at = services.clock.now();
  services.store.insert_webhook(w);
  Json j = to_json(w);
  j["secret"] = w.secret;  // shown this once
  return Response::json(201, j);
}

Response list_webhooks(const Request& request, Services& services) {
  const auto page = read_page(request);
  auto result = services.store.list_webhooks(request.org_id, page);
  Json data = Json::array();
  for (const auto& w : result.items) data.push_back(to_json(w));
  return Response::json(200, paginated(std::move(data), page, result.total));
}

Response get_webhook(const Request& request, Services& services) {
  return Response::json(200, to_json(require_webhook(request, services)));
}

Response update_webhook(const Request& request, Services& services) {
  const Json body = request.json();
  if (!body.is_object()) throw http::bad_request("body must be a JSON object");
  require_webhook(request, services);
  FieldErrors errors;
  store::WebhookPatch patch;
  patch.url = read_url(body, errors);
  patch.events = read_events(body, errors);
  patch.secret = read_secret(body, errors);
  patch.is_active = read_active(body, errors);
  errors.throw_if_any();
  if (!body.contains("url") && !body.contains("events") && !body.contains("secret") &&
      !body.contains("is_active"))
    throw http::bad_request("Nothing to update: send url, events, secret or is_active");
  if (patch.url) check_outbound_url(*patch.url, "url", services);
  auto updated = services.store.update_webhook(request.org_id, request.param("id"), patch,
                                               services.clock.now());
  if (!updated) throw http::not_found("Webhook not found");
  return Response::json(200, to_json(*updated));
}

Response delete_webhook(const Request& request, Services& services) {
  if (!services.store.delete_webhook(request.org_id, request.param("id")))
    throw http::not_found("Webhook not found");
  return Response::json(200, {{"message", "Webhook deleted."}});
}

Response list_deliveries(const Request& request, Services& services) {
  const auto webhook = require_webhook(request, services);
  store::DeliveryQuery query;
  query.page = read_page(request);
  if (auto status = request.query_param("status")) {
    if (*status != "pending" && *status != "delivered" && *status != "failed")
      throw http::bad_request("status must be one of pending, delivered, failed");
    query.status = std::string(*status);
  }
  auto result = services.store.list_deliveries(request.org_id, webhook.id, query);
  Json data = Json::array();
  for (const auto& d : result.items) data.push_back(to_json(d));
  return Response::json(200, paginated(std::move(data), query.page, result.total));
}
}  // namespace

// Checks what needs no DNS (an API thread never waits on a resolver): literal addresses and
// "localhost". Host names, and hosts that lead variables fill in (allow_variable_host), are
// resolved and checked when the request is sent.
void check_outbound_url(const std::string& url, std::string_view field, const Services& services) {
  if (services.allow_private_targets || domain::url_template_has_variable_host(url)) return;
  // Only the origin: placeholders in the path ("{{ id }}") are not part of the target.
  if (auto problem =
          providers::private_target_problem(std::string(domain::url_template_origin(url))))
    throw http::bad_request(std::string(field) + ": " + *problem);
}

void register_webhook_routes(http::Router& router, Services& s) {
  router.add("POST", "/v1/user-webhooks", bind(create_webhook, s));
  router.add("GET", "/v1/user-webhooks", bind(list_webhooks, s));
  router.add("GET", "/v1/user-webhooks/{id}", bind(get_webhook, s));
  router.add("PATCH", "/v1/user-webhooks/{id}", bind(update_webhook, s));
  router.add("DELETE", "/v1/user-webhooks/{id}", bind(delete_webhook, s));
  router.add("GET", "/v1/user-webhooks/{id}/deliveries", bind(list_deliveries, s));
}

}  // namespace leadline::api
