#pragma once
// The do-not-call list (compliance extension, spec §7a): entries that stop calls and texts
// to a number. Pure values and rules, no I/O.
#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include "domain/config_fields.h"
#include "domain/lead.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

// Where an entry came from: added through the API, a file upload, or the lead's own words
// in a call (opt-out).
enum class SuppressionSource { kApi, kUpload, kOptOut };
std::string_view to_string(SuppressionSource source);

struct Suppression {
  std::string id;  // "sup_..."
  std::string org_id;
  std::string phone_number;                // E.164
  std::optional<std::string> workflow_id;  // nullopt: every workflow of the organization
  std::optional<std::string> reason;
  SuppressionSource source = SuppressionSource::kApi;
  std::optional<util::Millis> expires_at;  // nullopt: never
  util::Millis created_at = 0;
  util::Millis updated_at = 0;
};

// True when the entry stops calls and texts to `lead` at `now`: same organization and
// number, scoped to the lead's workflow or to none, and not expired.
bool suppresses(const Suppression& entry, const Lead& lead, util::Millis now);
// The same for a call or text to `phone` by a workflow of an organization.
bool suppresses(const Suppression& entry, std::string_view org_id, std::string_view workflow_id,
                std::string_view phone, util::Millis now);

// The end reason of a queued call that was never sent because its number was listed.
inline constexpr std::string_view kSuppressedEndReason = "suppressed";

// What a lead's history says when the entry stopped it.
std::string suppression_reason(const Suppression& entry);

// When a call says the lead asked not to be called again (workflow settings.opt_out): its
// post-call analysis has `field` with one of `values` (text compared without case; true for
// a boolean), or the provider ended it with one of `end_reasons`.
struct OptOutRule {
  bool enabled = true;
  std::string field = "opt_out";
  std::vector<std::string> values = {"yes", "true"};
  std::vector<std::string> end_reasons = {"opt_out", "do_not_call"};
};
// The rule of a workflow's settings: absent or null → the defaults above, false → off, an
// object → the defaults with its keys replaced.
OptOutRule opt_out_rule(const Json& workflow_settings);
// Checks settings.opt_out (as check_calling_window does its field).
void check_opt_out(const Json& value, ConfigProblems& problems);
bool asked_not_to_be_called(const OptOutRule& rule, const Json& postcall_analysis,
                            const std::optional<std::string>& end_reason);

// The organization-wide entry an opt-out in call `call_id` adds (its id is new).
Suppression opt_out_entry(const Call& call, util::Millis now);

}  // namespace leadline::domain
