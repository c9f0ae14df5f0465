#include "domain/eligibility.h"

#include <algorithm>

namespace leadline::domain {

Eligibility call_eligibility(const Lead& lead, const std::optional<CallingWindow>& window,
                             const LeadTimezone& zone, const Suppression* entry,
                             std::optional<ConsentLevel> consent, util::Millis now) {
  Eligibility result;
  if (is_terminal(lead.status))
    result.blocked_by.push_back(
        {"lead_status",
         "the lead has left the workflow (" + std::string(to_string(lead.status)) + ")",
         std::nullopt});
  if (entry)
    result.blocked_by.push_back({"suppression", suppression_reason(*entry), entry->expires_at});
  if (consent)
    if (auto shortfall = consent_shortfall(lead.consent, *consent))
      result.blocked_by.push_back({"consent", *shortfall, std::nullopt});
  if (window) {
    const auto opening = next_window_opening(*window, zone.zone, now);
    if (opening != now)
      result.blocked_by.push_back(
          {"calling_window",
           "outside the calling window " + window->describe() + " in " + zone.zone.name() +
               " (from " + zone.source + ")" +
               (opening ? "; it opens " + zone.zone.format(*opening) : "; it never opens"),
           opening});
  }
  result.eligible = result.blocked_by.empty();
  if (result.eligible) return result;
  const bool lifts = std::all_of(result.blocked_by.begin(), result.blocked_by.end(),
                                 [](const Block& b) { return b.until.has_value(); });
  if (!lifts) return result;
  util::Millis at = now;
  for (const auto& block : result.blocked_by) at = std::max(at, *block.until);
  // The window may be closed again when the last other block lifts.
  if (window) {
    auto opening = next_window_opening(*window, zone.zone, at);
    if (!opening) return result;
    at = *opening;
  }
  result.next_eligible_at = at;
  return result;
}

}  // namespace leadline::domain
