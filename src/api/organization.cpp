// The caller's organization (compliance extension, spec §7a): its name and the settings every
// workflow inherits unless it sets its own — contact caps, the opt-out rule, state rules.
#include "api/input.h"
#include "api/routes.h"
#include "domain/call_policy.h"
#include "http/errors.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

constexpr size_t kMaxName = 100;

Json to_json(const store::Organization& org) {
  return {{"id", org.id},
          {"name", org.name},
          {"settings", org.settings},
          {"state_rules_version", domain::kStateRulesVersion},
          {"created_at", util::format_iso(org.created_at)},
          {"updated_at", util::format_iso(org.updated_at.value_or(org.created_at))}};
}

store::Organization require_organization(const Request& request, Services& services) {
  auto org = services.store.find_organization(request.org_id);
  if (!org) throw http::not_found("Organization not found");
  return std::move(*org);
}

Response get_organization(const Request& request, Services& services) {
  return Response::json(200, to_json(require_organization(request, services)));
}

// A patch merges into the stored settings key by key (in the store, under the row's lock); a
// key set to null is removed, so the default applies again (no caps, the default opt-out rule,
// state rules on).
Response patch_organization(const Request& request, Services& services) {
  const Json body = request.json();
  FieldErrors errors;
  if (!body.is_object()) throw http::bad_request("The body must be a JSON object");
  for (const auto& [key, value] : body.items())
    if (key != "name" && key != "settings")
      errors.add(key + " is not a field of an organization (name, settings)");
  store::OrganizationPatch patch;
  patch.name = read_string(body, "name", errors);
  if (patch.name) check_length(*patch.name, "name", 1, kMaxName, errors);
  if (auto it = body.find("settings"); it != body.end()) {
    domain::ConfigProblems problems("settings");
    domain::check_organization_settings(*it, problems);
    for (auto& message : problems.take()) errors.add(std::move(message));
    if (it->is_object()) patch.settings_changes = *it;
  }
  errors.throw_if_any();
  auto updated = services.store.update_organization(request.org_id, patch, services.clock.now());
  if (!updated) throw http::not_found("Organization not found");
  return Response::json(200, to_json(*updated));
}
}  // namespace

void register_organization_routes(http::Router& router, Services& s) {
  router.add("GET", "/v1/organization", bind(get_organization, s));
  router.add("PATCH", "/v1/organization", bind(patch_organization, s));
}

}  // namespace leadline::api
