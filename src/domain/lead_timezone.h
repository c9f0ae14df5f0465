#pragma once
// The time zone a lead's calling window and callback times are read in (issue: lawful
// hours), in this order: the lead's own `timezone` variable (an IANA name); the zone its
// phone number tells; the workflow's settings.timezone; UTC.
#include <string>
#include <string_view>

#include "util/json.h"
#include "util/timezone.h"

namespace leadline::domain {

// The lead variable that names its own zone. Enrolment refuses a value the tz database
// does not know, since the resolver below would pass over it without a word.
inline constexpr char kTimezoneVariable[] = "timezone";

struct LeadTimezone {
  util::TimeZone zone;
  // "lead_variable" (its timezone variable), "phone_number", "workflow_settings"
  // (settings.timezone) or "default" (UTC).
  std::string source;
};

LeadTimezone resolve_lead_timezone(const Json& variables, std::string_view phone_number,
                                   const Json& workflow_settings);

}  // namespace leadline::domain
