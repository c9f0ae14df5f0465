#pragma once
// Decoding of request targets: percent-decoding and query strings (RFC 3986, plus the HTML
// form convention of '+' for space in queries). Pure functions, safe from any thread.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace leadline::http {

// The decoded text, or nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space = false);

struct Target {
  std::string_view path;   // raw (still encoded) path, points into the target
  std::string_view query;  // raw query string without '?', "" when absent
};
// Splits "/a/b?x=1" into path and query; a fragment, if a client sent one, is dropped.
Target split_target(std::string_view target);

// Why a decoded query or path value cannot be used as text, or nullopt when it can: bytes
// that are not UTF-8 and NUL characters, both of which the databases refuse (a 500 if they
// got that far). The reason reads after the value's name: "is not valid UTF-8 ...".
std::optional<std::string_view> text_problem(std::string_view value);

// Parses "a=1&b=x+y" into decoded pairs; the first of repeated names wins. nullopt when a
// name or value is badly percent-encoded or decodes to something that is not text (see
// text_problem); then `error`, if given, says which parameter, for a 400.
std::optional<std::map<std::string, std::string>> parse_query(std::string_view query,
                                                              std::string* error = nullptr);

}  // namespace leadline::http
