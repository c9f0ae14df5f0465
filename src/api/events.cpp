// Routes of the events extension: what clients report about leads (a meeting booked, a
// reply), one at a time or up to 10,000 per request, and each lead's events.
#include "api/input.h"
#include "api/routes.h"
#include "domain/flow_nodes.h"
#include "domain/inbound_event.h"
#include "domain/render.h"
#include "http/errors.h"
#include "util/ids.h"
#include "util/json_writer.h"
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

void append_optional(std::string& out, const std::optional<std::string>& text) {
  if (text)
    util::append_json_string(out, *text);
  else
    out += "null";
}

// The answer for one event, written as JSON text into `out` (a bulk answer holds 10,000, and
// building them as Json trees cost more than the text): `input` as sent, or the event as
// first recorded for a repeat.
void append_answer(std::string& out, const InboundEvent& input,
                   const store::RecordedEvent& recorded) {
  const InboundEvent& e = recorded.first ? *recorded.first : input;
  out += "{\"id\":";
  util::append_json_string(out, e.id);
  out += ",\"type\":";
  util::append_json_string(out, e.type);
  out += ",\"lead_id\":";
  append_optional(out, e.lead_id);
  out += ",\"phone_number\":";
  append_optional(out, e.phone_number);
  out += ",\"workflow_id\":";
  append_optional(out, e.workflow_id);
  out += ",\"data\":";
  util::append_json(out, e.data);
  out += ",\"idempotency_key\":";
  append_optional(out, e.idempotency_key);
  out += ",\"created_at\":";
  util::append_json_string(out, util::format_iso(e.created_at));
  out += ",\"leads\":[";
  for (size_t i = 0; i < recorded.leads.size(); ++i) {
    const auto& target = recorded.leads[i];
    out += i ? ",{\"lead_id\":" : "{\"lead_id\":";
    util::append_json_string(out, target.lead_id);
    out += ",\"workflow_id\":";
    util::append_json_string(out, target.workflow_id);
    out += ",\"effect\":\"";
    out += to_string(target.effect);
    out += "\"}";
  }
  out += "]}";
}

// Reads events of one request; each problem is named by the event's position in bulk.
class EventReader {
 public:
  EventReader(const Request& request, Services& services)
      : request_(request), now_(services.clock.now()), workflows_(services, request.org_id) {}

  // Reads one event, taking its data out of `item`.
  InboundEvent read(Json& item, const std::string& where, std::vector<std::string>& problems) {
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
        e.data = std::move(*data);
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
  Json body = request.json();
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
  std::string answer = single ? "{\"data\":" : "{\"data\":{\"events\":[";
  answer.reserve(events.size() * 400);
  for (size_t i = 0; i < events.size(); ++i) {
    if (i) answer += ',';
    append_answer(answer, events[i], result.events[i]);
  }
  answer += single ? "}" : "]}}";
  const int status = single && result.events.front().first ? 200 : 201;
  return Response::text(status, std::move(answer), "application/json");
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
