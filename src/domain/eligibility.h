#pragma once
// "May this lead be called now, and if not, why not and until when?" (compliance extension,
// spec §7a): the rules the engine applies before it places a call, answered for one lead.
// Pure: the caller passes the lead's window, zone and do-not-call entry. No I/O.
#include <optional>
#include <string>
#include <vector>

#include "domain/calling_window.h"
#include "domain/consent.h"
#include "domain/lead.h"
#include "domain/lead_timezone.h"
#include "domain/suppression.h"
#include "util/time.h"

namespace leadline::domain {

struct Block {
  std::string rule;                   // lead_status, suppression, consent, calling_window
  std::string detail;                 // a sentence, as the lead's history would say it
  std::optional<util::Millis> until;  // nullopt: not by itself
};

struct Eligibility {
  bool eligible = true;
  std::vector<Block> blocked_by;
  // The first time every block is lifted; nullopt when eligible now or a block never lifts.
  std::optional<util::Millis> next_eligible_at;
};

// `window` is the calling window of the node the lead would call from (nullopt: none), read
// in `zone`; `entry` the do-not-call entry that stops its number now, if any; `consent` the
// workflow's settings.require_consent.
Eligibility call_eligibility(const Lead& lead, const std::optional<CallingWindow>& window,
                             const LeadTimezone& zone, const Suppression* entry,
                             std::optional<ConsentLevel> consent, util::Millis now);

}  // namespace leadline::domain
