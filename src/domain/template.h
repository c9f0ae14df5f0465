#pragma once
// "{{name}}" placeholders in action URLs, headers, bodies and SMS text, filled from a lead's
// variables (also "{{lead.name}}"). Unknown names become empty strings. A lead's variables come
// from whoever enrolled it, so where a value lands in an outbound request it is encoded for that
// place: it can fill in a path segment, a header value or a JSON string, never add structure.
#include <string>
#include <string_view>

#include "util/json.h"

namespace leadline::domain {

// Plain substitution, for text that is not parsed further (SMS text, set_variables).
std::string render_template(std::string_view text, const Json& variables);

// Values percent-encoded (everything but RFC 3986 unreserved characters, and "." or ".." as
// a whole), so a value cannot add path segments or query parameters, nor change the host.
std::string render_url_template(std::string_view text, const Json& variables);

// Control characters (CR and LF above all) removed from values: no header injection.
std::string render_header_template(std::string_view text, const Json& variables);

// A JSON text: a value inside a string literal is JSON-string-escaped; a value outside one is
// written as a JSON value (a string quoted, a number as is, an unknown name as null).
std::string render_json_template(std::string_view text, const Json& variables);

// The scheme://authority part of a URL template (all of it when it has no "://").
std::string_view url_template_origin(std::string_view url);

// A placeholder in the scheme, user info, host or port: the lead's variables would choose
// where the request goes.
bool url_template_has_variable_host(std::string_view url);

}  // namespace leadline::domain
