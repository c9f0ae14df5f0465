// Routes of the events extension: what clients report about leads (a meeting booked, a
// reply), one at a time or up to 10,000 per request, and each lead's events.
#include "api/input.h"
#include "api/routes.h"
#include "domain/flow_nodes.h"
#include "domain/inbound_event.h"
#include "domain/render.h"
#include "http/errors.h"
#include "util/ids.h"
#include "util/phone.h"

namespace leadline::api {
namespace {
using domain::InboundEvent;
using http::Request;
using http::Response;

constexpr size_t kMaxEventsPerRequest = 10'000;
constexpr size_t kMaxIdempotencyKey = 200;
constexpr size_t kMaxDataBytes = 16 * 1024;         // one event's data, as JSON text
constexpr std::string_view kDefaultCountry = "US";  // for numbers written without +country

Json optional_text(const std::optional<std::string>& text) {
  return text ? Json(*text) : Json(nullptr);
}

Json to_json(const store::RecordedEvent& recorded) {
  const InboundEvent& e = recorded.event;
  Json leads = Json::array();
  for (const auto& target : recorded.leads)
    leads.push_back({{"lead_id", target.lead_id},
                     {"workflow_id", target.workflow_id},
                     {"effect", to_string(target.effect)}});
  return {{"id", e.id},
          {"type", e.type},
          {"lead_id", optional_text(e.lead_id)},
          {"phone_number", optional_text(e.phone_number)},
          {"workflow_id", optional_text(e.workflow_id)},
          {"data", e.data},
          {"idempotency_key", optional_text(e.idempotency_key)},
          {"created_at", util::format_iso(e.created_at)},
          {"leads", std::move(leads)}};
}

// Reads events of one request; each problem is named by the event's position in bulk.
class EventReader {
 public:
  EventReader(const Request& request, Services& services)
      : request_(request), now_(services.clock.now()), workflows_(services, request.org_id) {}

  InboundEvent read(const Json& item, const std::string& where,
                    std::vector<std::string>& problems) {
    InboundEvent e;
    e.id = util::new_id("ev");
    e.org_id = request_.org_id;
    e.created_at = now_;
    auto problem = [&](const std::string& text) { problems.push_back(where + text); };
    if (!item.is_object()) {
      problem("must be a JSON object with a type and a lead_id or phone_number");
      return e;
    }
    const Json type = item.value("type", Json(nullptr));
    if (!type.is_string() || !domain::is_event_type_name(type.get_ref<const std::string&>()))
      problem("type must be an event type name: 1 to 64 letters, digits or _ . : -");
    else
      e.type = type.get<std::string>();
    e.lead_id = text_field(item, "lead_id", where, problems);
    const auto phone = text_field(item, "phone_number", where, problems);
    if (e.lead_id.has_value() == phone.has_value())
      problem("must name its lead by exactly one of lead_id and phone_number");
    if (phone) {
      auto result = util::normalize_phone(*phone, kDefaultCountry);
      if (result.e164)
        e.phone_number = std::move(*result.e164);
      else
        problem("phone_number is " + result.error);
    }
    e.workflow_id = text_field(item, "workflow_id", where, problems);
    if (e.workflow_id && !workflows_.exists(*e.workflow_id))
      problem("workflow_id " + *e.workflow_id + " names no workflow of this organization");
    if (auto data = item.find("data"); data != item.end() && !data->is_null()) {
      if (!data->is_object())
        problem("data must be a JSON object");
      else if (data->dump().size() > kMaxDataBytes)
        problem("data must be at most " + std::to_string(kMaxDataBytes / 1024) +
                " KB as JSON text");
      else
        e.data = *data;
    }
    e.idempotency_key = text_field(item, "idempotency_key", where, problems);
    if (e.idempotency_key && e.idempotency_key->size() > kMaxIdempotencyKey)
      problem("idempotency_key must be at most " + std::to_string(kMaxIdempotencyKey) +
              " characters");
    return e;
  }

 private:
  static std::optional<std::string> text_field(const Json& item, const std::string& field,
                                               const std::string& where,
                                               std::vector<std::string>& problems) {
    auto it = item.find(field);
    if (it == item.end() || it->is_null()) return std::nullopt;
    if (!it->is_string() || trim(it->get_ref<const std::string&>()).empty()) {
      problems.push_back(where + field + " must be non-empty text");
      return std::nullopt;
    }
    return trim(it->get_ref<const std::string&>());
  }

  const Request& request_;
  const util::Millis now_;
  WorkflowLookup workflows_;
};

Response post_events(const Request& request, Services& services) {
  const Json body = request.json();
  if (!body.is_object())
    throw http::bad_request("body must be a JSON object: one event, or {\"events\": [...]}");
  EventReader reader(request, services);
  std::vector<InboundEvent> events;
  std::vector<std::string> problems;
  const auto list = body.find("events");
  const bool single = list == body.end();
  if (single) {
    events.push_back(reader.read(body, "", problems));
  } else {
    if (!list->is_array() || list->empty())
      throw http::bad_request("events must be a non-empty list of events");
    if (list->size() > kMaxEventsPerRequest)
      throw http::bad_request("events holds " + std::to_string(list->size()) + "; at most " +
                              std::to_string(kMaxEventsPerRequest) + " are accepted per request");
    events.reserve(list->size());
    for (size_t i = 0; i < list->size(); ++i)
      events.push_back(reader.read((*list)[i], "events[" + std::to_string(i) + "] ", problems));
  }
  if (!problems.empty()) throw http::bad_request(problems);

  auto result = services.store.record_events(events, services.clock.now());
  if (result.unknown_lead) {
    const InboundEvent& e = events[*result.unknown_lead];
    const std::string what = "lead_id " + *e.lead_id + " names no lead of this organization" +
                             (e.workflow_id ? " in workflow " + *e.workflow_id : "");
    if (single) throw http::not_found(what);
    throw http::bad_request("events[" + std::to_string(*result.unknown_lead) + "] " + what +
                            "; nothing was recorded");
  }
  if (single) {
    const auto& recorded = result.events.front();
    return Response::json(recorded.repeated ? 200 : 201, {{"data", to_json(recorded)}});
  }
  Json out = Json::array();
  for (const auto& recorded : result.events) out.push_back(to_json(recorded));
  return Response::json(201, {{"data", {{"events", std::move(out)}}}});
}

Response lead_events(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  const auto lead = require_lead(request, services, workflow.id);
  const auto page = read_page(request);
  const auto events = services.store.lead_events(lead.id, page);
  Json data = Json::array();
  for (const auto& e : events.items)
    data.push_back({{"id", e.event_id},
                    {"type", e.type},
                    {"data", e.data},
                    {"effect", to_string(e.effect)},
                    {"created_at", util::format_iso(e.created_at)}});
  return Response::json(200, paginated(std::move(data), page, events.total));
}
}  // namespace

void register_event_routes(http::Router& router, Services& s) {
  router.add("POST", "/v1/events", bind(post_events, s));
  router.add("GET", "/v1/workflows/{id}/leads/{leadId}/events", bind(lead_events, s));
}

}  // namespace leadline::api
