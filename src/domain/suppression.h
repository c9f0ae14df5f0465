#pragma once
// The do-not-call list (compliance extension, spec §7a): entries that stop calls and texts
// to a number. Pure values and rules, no I/O.
#include <optional>
#include <string>
#include <string_view>

#include "domain/lead.h"
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

// What a lead's history says when the entry stopped it.
std::string suppression_reason(const Suppression& entry);

}  // namespace leadline::domain
