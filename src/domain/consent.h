#pragma once
// A lead's consent to be called (compliance extension, spec §7a): what kind the lead gave,
// where and when, and the workflow's rule for calls that need it (AI voices need prior
// express consent, FCC February 2024). Pure, no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/config_fields.h"
#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

// Ordered: express_written also satisfies a rule asking for express.
enum class ConsentLevel { kNone = 0, kExpress = 1, kExpressWritten = 2 };
std::string_view to_string(ConsentLevel level);
std::optional<ConsentLevel> consent_level_from_string(std::string_view text);

// Reads a lead's `consent` from a request: {"type", "source", "obtained_at", "evidence"}, type
// required. Answers it normalized (obtained_at as ISO 8601, absent fields null); a problem
// goes to `problems` ("consent.type must be ...").
Json read_consent(const Json& value, util::Millis now, std::vector<std::string>& problems);

// settings.require_consent: nullopt when absent, null or "none".
std::optional<ConsentLevel> required_consent(const Json& workflow_settings);
void check_require_consent(const Json& value, ConfigProblems& problems);

// Why the lead's stored consent (an object from read_consent, or null) does not meet
// `required`; nullopt when it does.
std::optional<std::string> consent_shortfall(const Json& consent, ConsentLevel required);

}  // namespace leadline::domain
