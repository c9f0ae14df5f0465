#include "domain/call_policy.h"

namespace leadline::domain {
namespace {
// The value of `key` in `settings`; nullptr when absent or null (null clears a setting).
const Json* set_value(const Json& settings, const char* key) {
  if (!settings.is_object()) return nullptr;
  auto it = settings.find(key);
  return it == settings.end() || it->is_null() ? nullptr : &*it;
}

// The workflow's value of `key` if it sets one, else the organization's.
const Json* setting(const Json& workflow_settings, const Json& org_settings, const char* key) {
  if (const Json* value = set_value(workflow_settings, key)) return value;
  return set_value(org_settings, key);
}

void check_state_rules(const Json& value, ConfigProblems& problems) {
  if (!value.is_null() && !value.is_boolean())
    problems.add("state_rules", "must be true (the built-in US state rules apply) or false");
}
}  // namespace

void check_organization_settings(const Json& settings, ConfigProblems& problems) {
  if (!settings.is_object()) {
    problems.add("", "must be an object");
    return;
  }
  for (const auto& [key, value] : settings.items()) {
    if (key == "contact_caps")
      check_contact_caps(value, "contact_caps", problems);
    else if (key == "opt_out")
      check_opt_out(value, problems);
    else if (key == "state_rules")
      check_state_rules(value, problems);
    else
      problems.add(key, "is not an organization setting (contact_caps, opt_out, state_rules)");
  }
}

void check_workflow_call_policy(const Json& workflow_settings, ConfigProblems& problems) {
  if (auto it = workflow_settings.find("contact_caps"); it != workflow_settings.end())
    check_contact_caps(*it, "contact_caps", problems);
  if (auto it = workflow_settings.find("state_rules"); it != workflow_settings.end())
    check_state_rules(*it, problems);
}

const StateRule* applicable_state_rule(const Json& workflow_settings, const Json& org_settings,
                                       std::string_view phone) {
  const Json* on = setting(workflow_settings, org_settings, "state_rules");
  if (on && on->is_boolean() && !on->get<bool>()) return nullptr;
  return state_rule_for(phone);
}

std::vector<ContactCap> applicable_contact_caps(const Json& workflow_settings,
                                                const Json& org_settings, std::string_view phone) {
  std::vector<ContactCap> caps;
  const bool workflow_sets = set_value(workflow_settings, "contact_caps") != nullptr;
  if (const Json* value = setting(workflow_settings, org_settings, "contact_caps"))
    caps = parse_contact_caps(*value, workflow_sets ? "workflow" : "organization");
  if (const StateRule* rule = applicable_state_rule(workflow_settings, org_settings, phone))
    if (rule->cap) caps.push_back(*rule->cap);
  return caps;
}

OptOutRule applicable_opt_out_rule(const Json& workflow_settings, const Json& org_settings) {
  const Json* value = setting(workflow_settings, org_settings, "opt_out");
  if (!value) return OptOutRule{};
  return opt_out_rule(Json{{"opt_out", *value}});
}

}  // namespace leadline::domain
