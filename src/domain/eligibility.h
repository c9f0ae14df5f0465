#pragma once
// "May this lead be called now, and if not, why not and until when?" (compliance extension,
// spec §7a): the rules the engine applies before it places a call, answered for one lead.
// Pure: the caller passes the lead's window, zone and do-not-call entry. No I/O.
#include <optional>
#include <string>
#include <vector>

#include "domain/calling_window.h"
#include "domain/consent.h"
#include "domain/contact_caps.h"
#include "domain/lead.h"
#include "domain/lead_timezone.h"
#include "domain/state_rules.h"
#include "domain/suppression.h"
#include "util/time.h"

namespace leadline::domain {

struct Block {
  // lead_status, suppression, consent, calling_window, state_rule (a state's lawful hours),
  // contact_cap
  std::string rule;
  std::string detail;                 // a sentence, as the lead's history would say it
  std::optional<util::Millis> until;  // nullopt: not by itself
  std::optional<std::string> source;  // contact_cap: organization, workflow or state:XX
};

struct Eligibility {
  bool eligible = true;
  std::vector<Block> blocked_by;
  // The first time every block is lifted; nullopt when eligible now or a block never lifts.
  std::optional<util::Millis> next_eligible_at;
};

// The rules a call to one number is under, as the engine reads them.
struct CallRules {
  std::optional<CallingWindow> window;  // of the node the lead would call from (nullopt: none)
  const StateRule* state = nullptr;     // its number's state rule, when state rules are on
  std::vector<ContactCap> caps;         // domain/call_policy.h: applicable_contact_caps
  std::vector<util::Millis> contacts;   // earlier calls to the number (contact_times)
  const Suppression* entry = nullptr;   // the do-not-call entry that stops it, if any
  std::optional<ConsentLevel> consent;  // the workflow's settings.require_consent
};

// `lead` may be null (a number, not a lead: no status or consent to check). Windows and
// state hours are read in `zone`.
Eligibility call_eligibility(const Lead* lead, const LeadTimezone& zone, const CallRules& rules,
                             util::Millis now);

// The history's sentence for a call held back by `held` (cap_wait), in `zone`.
std::string cap_wait_reason(const CapWait& held, const util::TimeZone& zone);
// "the calling window 08:00-21:00 every day" and/or "Florida's lawful hours 08:00-20:00 ...".
std::string describe_hours(const CallingWindow* window, const StateRule* state);

}  // namespace leadline::domain
