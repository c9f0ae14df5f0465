// Why a lead may not be called now (compliance extension, spec §7a): the engine's rules
// before a call, answered for one lead with what blocks it and until when.
#include "domain/eligibility.h"
#include "api/input.h"
#include "api/routes.h"
#include "http/errors.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

Json iso_or_null(const std::optional<util::Millis>& at) {
  return at ? Json(util::format_iso(*at)) : Json(nullptr);
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
  const auto window = domain::effective_calling_window(node_config, workflow.settings);
  const auto zone =
      domain::resolve_lead_timezone(lead.variables, lead.phone_number, workflow.settings);
  const auto entry =
      services.store.blocking_suppression(request.org_id, workflow.id, lead.phone_number, now);
  const auto result = domain::call_eligibility(lead, window, zone, entry ? &*entry : nullptr,
                                               domain::required_consent(workflow.settings), now);
  Json blocks = Json::array();
  for (const auto& block : result.blocked_by) {
    Json b = {{"rule", block.rule}, {"detail", block.detail}, {"until", iso_or_null(block.until)}};
    if (block.rule == "suppression" && entry) b["suppression_id"] = entry->id;
    blocks.push_back(std::move(b));
  }
  return Response::json(200, {{"lead_id", lead.id},
                              {"phone_number", lead.phone_number},
                              {"eligible", result.eligible},
                              {"now", util::format_iso(now)},
                              {"blocked_by", std::move(blocks)},
                              {"next_eligible_at", iso_or_null(result.next_eligible_at)}});
}
}  // namespace

void register_eligibility_routes(http::Router& router, Services& s) {
  router.add("GET", "/v1/workflows/{id}/leads/{leadId}/eligibility", bind(lead_eligibility, s));
}

}  // namespace leadline::api
