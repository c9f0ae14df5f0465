// Why a call may not be placed now (compliance extension, spec §7a): the engine's rules
// before a call — status, do-not-call list, consent, calling window, state rule, contact
// caps — answered for one lead, or for one number of the organization, with what blocks it
// and until when.
#include "domain/eligibility.h"

#include <algorithm>

#include "api/input.h"
#include "api/routes.h"
#include "domain/call_policy.h"
#include "domain/render.h"
#include "http/errors.h"
#include "util/phone.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

using domain::iso_or_null;

constexpr util::Millis kDayMillis = 24 * 3'600'000;

// The number's state rule, caps and earlier calls, from the organization's settings and the
// workflow's (`workflow_settings`, an empty object for none).
void add_number_rules(const Request& request, Services& services, const Json& workflow_settings,
                      const std::string& phone, util::Millis now, domain::CallRules& rules) {
  const auto org = services.store.find_organization(request.org_id);
  const Json org_settings = org ? org->settings : Json::object();
  rules.state = domain::applicable_state_rule(workflow_settings, org_settings, phone);
  rules.caps = domain::applicable_contact_caps(workflow_settings, org_settings, phone);
  rules.contacts = services.store.contact_times(request.org_id, phone, now - domain::kMaxCapMillis);
}

Response answer(const domain::Eligibility& result, const std::optional<domain::Suppression>& entry,
                util::Millis now, Json head) {
  Json blocks = Json::array();
  for (const auto& block : result.blocked_by) {
    Json b = {{"rule", block.rule}, {"detail", block.detail}, {"until", iso_or_null(block.until)}};
    if (block.rule == "suppression" && entry) b["suppression_id"] = entry->id;
    if (block.source) b["source"] = *block.source;
    blocks.push_back(std::move(b));
  }
  head["eligible"] = result.eligible;
  head["now"] = util::format_iso(now);
  head["blocked_by"] = std::move(blocks);
  head["next_eligible_at"] = iso_or_null(result.next_eligible_at);
  return Response::json(200, head);
}

Response lead_eligibility(const Request& request, Services& services) {
  const auto workflow = require_workflow(request, services);
  const auto lead = require_lead(request, services, workflow.id);
  const util::Millis now = services.clock.now();
  // The window of the node the lead would call from: its own when it stands on a call or a
  // text, the workflow's otherwise.
  Json node_config = Json::object();
  if (lead.current_node_id)
    for (const auto& node : services.store.load_graph(workflow.id).nodes)
      if (node.id == *lead.current_node_id &&
          (node.type == domain::NodeType::kVoiceCall || node.type == domain::NodeType::kSms))
        node_config = node.config;
  domain::CallRules rules;
  rules.window = domain::effective_calling_window(node_config, workflow.settings);
  const auto entry =
      services.store.blocking_suppression(request.org_id, workflow.id, lead.phone_number, now);
  rules.entry = entry ? &*entry : nullptr;
  rules.consent = domain::required_consent(workflow.settings);
  add_number_rules(request, services, workflow.settings, lead.phone_number, now, rules);
  const auto zone =
      domain::resolve_lead_timezone(lead.variables, lead.phone_number, workflow.settings);
  return answer(domain::call_eligibility(&lead, zone, rules, now), entry, now,
                {{"lead_id", lead.id}, {"phone_number", lead.phone_number}});
}

// GET /v1/eligibility?phone_number=...[&workflow_id=...]: the rules on the number itself —
// the do-not-call list, its state rule and the contact caps (with workflow_id, that
// workflow's window, caps and scope of the list apply too).
Response number_eligibility(const Request& request, Services& services) {
  const auto raw = request.query_param("phone_number");
  if (!raw || raw->empty()) throw http::bad_request("phone_number is required");
  auto normalized = util::normalize_phone(*raw, "US");
  if (!normalized.e164) throw http::bad_request("phone_number is " + normalized.error);
  const std::string phone = std::move(*normalized.e164);
  Json settings = Json::object();
  std::string workflow_id;
  domain::CallRules rules;
  if (auto id = request.query_param("workflow_id"); id && !id->empty()) {
    auto workflow = services.store.find_workflow(request.org_id, *id);
    if (!workflow) throw http::not_found("Workflow not found");
    settings = workflow->settings;
    workflow_id = workflow->id;
    rules.window = domain::effective_calling_window(Json::object(), settings);
  }
  const util::Millis now = services.clock.now();
  const auto entry = services.store.blocking_suppression(request.org_id, workflow_id, phone, now);
  rules.entry = entry ? &*entry : nullptr;
  add_number_rules(request, services, settings, phone, now, rules);
  const auto zone = domain::resolve_lead_timezone(Json::object(), phone, settings);
  return answer(domain::call_eligibility(nullptr, zone, rules, now), entry, now,
                {{"phone_number", phone},
                 {"workflow_id", workflow_id.empty() ? Json(nullptr) : Json(workflow_id)},
                 {"calls_in_last_24_hours",
                  std::count_if(rules.contacts.begin(), rules.contacts.end(),
                                [&](util::Millis at) { return at > now - kDayMillis; })}});
}
}  // namespace

void register_eligibility_routes(http::Router& router, Services& s) {
  router.add("GET", "/v1/workflows/{id}/leads/{leadId}/eligibility", bind(lead_eligibility, s));
  router.add("GET", "/v1/eligibility", bind(number_eligibility, s));
}

}  // namespace leadline::api
