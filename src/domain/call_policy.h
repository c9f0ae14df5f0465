#pragma once
// Which compliance rules a call to a number is under, from the organization's settings
// (GET/PATCH /v1/organization) and the workflow's. Pure; shared by the engine, the
// eligibility answer and validation.
//
// Organization settings: {"contact_caps": [{"calls", "hours"}], "opt_out": <rule>,
// "state_rules": true}. A workflow's settings may carry the same keys; a key the workflow
// sets (even to [] or false) replaces the organization's.
#include <optional>
#include <string_view>
#include <vector>

#include "domain/config_fields.h"
#include "domain/contact_caps.h"
#include "domain/state_rules.h"
#include "domain/suppression.h"
#include "util/json.h"

namespace leadline::domain {

// Checks an organization's settings object: the keys above only (a typo must not silently
// leave a number uncapped). Problems read "settings.<key> ...".
void check_organization_settings(const Json& settings, ConfigProblems& problems);
// Checks the workflow-level keys this file reads (contact_caps, state_rules).
void check_workflow_call_policy(const Json& workflow_settings, ConfigProblems& problems);

// The state rule that applies to `phone` (nullptr: none): state rules are on unless the
// workflow, or else the organization, sets state_rules to false.
const StateRule* applicable_state_rule(const Json& workflow_settings, const Json& org_settings,
                                       std::string_view phone);

// The caps on calls to `phone`: the workflow's contact_caps if it sets the key, else the
// organization's; and the state rule's cap when one applies.
std::vector<ContactCap> applicable_contact_caps(const Json& workflow_settings,
                                                const Json& org_settings, std::string_view phone);

// The opt-out rule: the workflow's settings.opt_out when set, else the organization's, else
// the default rule.
OptOutRule applicable_opt_out_rule(const Json& workflow_settings, const Json& org_settings);

}  // namespace leadline::domain
