#include "domain/suppression.h"

namespace leadline::domain {

std::string_view to_string(SuppressionSource source) {
  switch (source) {
    case SuppressionSource::kApi:
      return "api";
    case SuppressionSource::kUpload:
      return "upload";
    case SuppressionSource::kOptOut:
      return "opt_out";
  }
  return "api";
}

bool suppresses(const Suppression& entry, const Lead& lead, util::Millis now) {
  return entry.org_id == lead.org_id && entry.phone_number == lead.phone_number &&
         (!entry.workflow_id || *entry.workflow_id == lead.workflow_id) &&
         (!entry.expires_at || *entry.expires_at > now);
}

std::string suppression_reason(const Suppression& entry) {
  std::string text = "the number is on the do-not-call list (entry " + entry.id;
  if (entry.reason && !entry.reason->empty()) text += ", reason \"" + *entry.reason + "\"";
  if (entry.workflow_id) text += ", for this workflow only";
  return text + ")";
}

}  // namespace leadline::domain
