#pragma once
// Field-level helpers for reading and checking node configs (spec §3.2): typed reads that
// treat JSON null as absent, and a collector of "config.<field> <problem>" messages.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.h"

namespace leadline::domain {

// Collects messages; each starts with the field's path under "config".
class ConfigProblems {
 public:
  // `prefix` names the object checked: "config" for node configs, "settings" for a
  // workflow's settings.
  explicit ConfigProblems(std::string prefix = "config") : prefix_(std::move(prefix)) {}
  // add("agent_id", "is required") -> "config.agent_id is required"; an empty field
  // speaks about the config as a whole ("config must ...").
  void add(std::string_view field, std::string_view text);
  std::vector<std::string> take() { return std::move(list_); }

 private:
  std::string prefix_;
  std::vector<std::string> list_;
};

// The value under key, or nullptr when it is absent or JSON null (clients clear an
// optional field by sending null) or `object` is not an object.
const Json* config_field(const Json& object, std::string_view key);
// Integers, including integral doubles such as 3.0 (some clients send only doubles).
std::optional<std::int64_t> as_integer(const Json& value);
// Finite numbers; booleans are not numbers.
std::optional<double> as_number(const Json& value);
bool is_nonblank_string(const Json& value);
// Records "is required" or "must be a non-empty string" under path.
void require_string(const Json& object, std::string_view key, std::string_view path,
                    ConfigProblems& problems);

// True for an E.164 number: '+', then 8..15 digits, the first not zero.
bool is_e164(std::string_view text);
// True for an absolute http:// or https:// URL with a non-empty host.
bool is_http_url(std::string_view text);

// "A, B, C" for messages that list the allowed values.
std::string join_names(const std::string_view* names, size_t count);
template <size_t N>
std::string join_names(const std::array<std::string_view, N>& names) {
  return join_names(names.data(), N);
}
// Case-insensitive membership.
bool is_one_of(std::string_view text, const std::string_view* names, size_t count);
template <size_t N>
bool is_one_of(std::string_view text, const std::array<std::string_view, N>& names) {
  return is_one_of(text, names.data(), N);
}

}  // namespace leadline::domain
