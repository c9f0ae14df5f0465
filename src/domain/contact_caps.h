#pragma once
// Contact caps: the most calls one number may receive per rolling window ("3 calls per 24
// hours"). Set by the organization, the workflow (settings.contact_caps) or a state rule
// (domain/state_rules.h); a call goes ahead only when every cap that applies allows it.
// Pure values and rules, no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/config_fields.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

// 30 days: how far back the engine reads earlier contacts, so no window may be longer.
inline constexpr int kMaxCapHours = 720;
inline constexpr util::Millis kMaxCapMillis = util::Millis{kMaxCapHours} * 3'600'000;

// The most calls to one number per rolling window ("3 calls per 24 hours").
struct ContactCap {
  int calls = 0;       // 1..1000
  int hours = 0;       // 1..kMaxCapHours
  std::string source;  // who set it: "organization", "workflow", or "state:FL"

  // "3 calls per 24 hours", "1 call per 1 hour": the numbers only, not the source.
  std::string describe() const;
};

// Checks a `contact_caps` value: null is fine (no caps); otherwise an array of at most 10
// objects {"calls": integer 1..1000, "hours": integer 1..720}, no other keys. Problems are
// added under `field` ("contact_caps" gives "settings.contact_caps[0].hours must be an
// integer from 1 to 720" when the problems' prefix is "settings").
void check_contact_caps(const Json& value, std::string_view field, ConfigProblems& problems);

// Typed view of a value that passed the check, each cap carrying `source`. Null or not an
// array gives none; an element that would not pass the check is skipped.
std::vector<ContactCap> parse_contact_caps(const Json& value, std::string_view source);

// The longest window of `caps` in milliseconds (0 when none).
util::Millis longest_cap_window(const std::vector<ContactCap>& caps);

struct CapWait {
  ContactCap cap;           // the cap that holds the call longest
  int calls_in_window = 0;  // contacts inside that cap's window at `now`
  util::Millis until = 0;   // when that cap next allows a call
};

// Whether one more call to a number may be placed at `now`. `contacts` are the times of
// earlier calls to it, in any order; ones outside every window are ignored and times after
// `now` count as at `now`. nullopt when every cap allows the call. Otherwise the cap whose
// lifting comes last (the first such in `caps` on a tie) and when: with k contacts in the
// rolling window (now - hours, now] of a cap of N calls and k >= N, the call is allowed once
// the (k-N+1)-th oldest of them has left the window, at that contact's time + hours; a
// contact exactly `hours` old has left. Caps outside the checked ranges are ignored.
std::optional<CapWait> cap_wait(const std::vector<ContactCap>& caps,
                                const std::vector<util::Millis>& contacts, util::Millis now);

}  // namespace leadline::domain
