// GET /v1/workflows/{id}/leads/{leadId}/projection (ext): when each future step of a lead
// would run, given the outcomes of its next calls. Changes nothing.
#include "engine/projection.h"

#include <algorithm>
#include <cstdlib>
#include "api/input.h"
#include "api/render.h"
#include "api/routes.h"
#include "domain/contact_caps.h"
#include "domain/flow_nodes.h"
#include "domain/lead_timezone.h"
#include "domain/outcomes.h"
#include "domain/text.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

constexpr size_t kMaxOutcomes = 50;

// "NO_ANSWER,no_answer, COMPLETED" → upper-case call outcomes; 400 for anything else.
std::vector<std::string> read_outcomes(const Request& request) {
  std::vector<std::string> outcomes;
  std::vector<std::string> errors;
  const auto raw = request.query_param("outcomes").value_or("");
  for (size_t start = 0; start < raw.size();) {
    const size_t end = std::min(raw.find(',', start), raw.size());
    const std::string outcome =
        domain::to_upper(trim(std::string_view(raw).substr(start, end - start)));
    start = end + 1;
    if (outcome.empty()) continue;
    if (std::find(domain::kCallOutcomes.begin(), domain::kCallOutcomes.end(), outcome) ==
        domain::kCallOutcomes.end())
      errors.push_back("outcomes: '" + outcome +
                       "' is not a call outcome (COMPLETED, NO_ANSWER, BUSY, VOICEMAIL, FAILED)");
    outcomes.push_back(outcome);
  }
  if (outcomes.size() > kMaxOutcomes)
    errors.push_back("outcomes may list at most " + std::to_string(kMaxOutcomes) + " calls");
  if (!errors.empty()) throw http::bad_request(errors);
  return outcomes;
}

Json events_json(const std::vector<engine::AssumedEvent>& events) {
  Json out = Json::array();
  for (const auto& e : events) out.push_back({{"type", e.type}, {"at", util::format_iso(e.at)}});
  return out;
}

// "replied:60, meeting_booked:2880" → events of those types that many minutes from now, in
// time order; 400 for anything else.
std::vector<engine::AssumedEvent> read_events(const Request& request, util::Millis now) {
  std::vector<engine::AssumedEvent> events;
  std::vector<std::string> errors;
  const auto raw = request.query_param("events").value_or("");
  size_t start = 0;
  while (start < raw.size()) {
    size_t comma = raw.find(',', start);
    if (comma == std::string::npos) comma = raw.size();
    const std::string item = trim(std::string_view(raw).substr(start, comma - start));
    start = comma + 1;
    if (item.empty()) continue;
    const size_t colon = item.rfind(':');
    const std::string type = colon == std::string::npos ? item : item.substr(0, colon);
    double minutes = 0;
    const std::string after = colon == std::string::npos ? "0" : item.substr(colon + 1);
    char* end = nullptr;
    minutes = std::strtod(after.c_str(), &end);
    if (!domain::is_event_type_name(type) || end == after.c_str() || *end != '\0' ||
        !(minutes >= 0) || minutes > 366.0 * 24 * 60) {
      errors.push_back("events: '" + item +
                       "' is not TYPE:MINUTES (an event type name and the minutes from now, "
                       "0 to 527040)");
      continue;
    }
    events.push_back({type, now + static_cast<util::Millis>(minutes * 60'000.0)});
  }
  if (events.size() > kMaxOutcomes)
    errors.push_back("events may list at most " + std::to_string(kMaxOutcomes) + " events");
  if (!errors.empty()) throw http::bad_request(errors);
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.at < b.at; });
  return events;
}

Response lead_projection(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  const auto lead = require_lead(request, services, workflow.id);
  engine::ProjectionInput input;
  input.outcomes = read_outcomes(request);
  input.lead = lead;
  if (lead.call_id) input.call = services.store.find_call(request.org_id, *lead.call_id);
  input.now = services.clock.now();
  input.events = read_events(request, input.now);
  input.suppression = services.store.blocking_suppression(request.org_id, workflow.id,
                                                          lead.phone_number, input.now);
  input.call_millis = services.projected_call_millis;
  if (auto org = services.store.find_organization(request.org_id))
    input.org_settings = std::make_shared<const Json>(std::move(org->settings));
  input.contacts = services.store.contact_times(request.org_id, lead.phone_number,
                                                input.now - domain::kMaxCapMillis);
  const engine::CompiledWorkflow compiled(
      workflow.id, workflow.version, services.store.load_graph(workflow.id), workflow.settings);
  const auto projection = engine::project_lead(input, compiled);

  const auto zone =
      domain::resolve_lead_timezone(lead.variables, lead.phone_number, workflow.settings);
  Json steps = Json::array();
  for (const auto& step : projection.steps) {
    Json j = to_json(step.entry);
    j.erase("started_at");
    j.erase("ended_at");
    j["at"] = util::format_iso(step.at);
    j["local_time"] = zone.zone.format(step.at);
    steps.push_back(std::move(j));
  }
  return Response::json(200, {{"lead_id", lead.id},
                              {"timezone", zone.zone.name()},
                              {"outcomes", input.outcomes},
                              {"events", events_json(input.events)},
                              {"steps", std::move(steps)},
                              {"ends", projection.ends}});
}
}  // namespace

void register_projection_routes(http::Router& router, Services& s) {
  router.add("GET", "/v1/workflows/{id}/leads/{leadId}/projection", bind(lead_projection, s));
}

}  // namespace leadline::api
