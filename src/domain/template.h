#pragma once
// "{{name}}" placeholders in action URLs, headers, bodies and SMS text, filled from a lead's
// variables (also "{{lead.name}}"). Unknown names become empty strings.
#include <string>
#include <string_view>

#include "util/json.h"

namespace leadline::domain {

std::string render_template(std::string_view text, const Json& variables);

}  // namespace leadline::domain
