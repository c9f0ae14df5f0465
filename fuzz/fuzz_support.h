#pragma once
// Helpers shared by the fuzz targets. Inputs are kept textual where the surface is text
// (a first line of parameters, then the payload) so the committed seed corpora stay
// readable and editable by hand.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <utility>

#include "util/json.h"
#include "util/json_parse.h"

namespace leadline::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// {first line without its line end, the rest}; the rest is "" when there is no line end.
inline std::pair<std::string_view, std::string_view> split_first_line(std::string_view text) {
  const auto eol = text.find('\n');
  if (eol == std::string_view::npos) return {text, {}};
  std::string_view first = text.substr(0, eol);
  if (first.ends_with('\r')) first.remove_suffix(1);
  return {first, text.substr(eol + 1)};
}

// JSON the way the server reads it: within the request limits, or nothing.
inline std::optional<Json> json_of(std::string_view text) { return util::parse_json(text); }

// A broken invariant: abort, so libFuzzer records the input as a crash.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace leadline::fuzz
