#include "domain/config_fields.h"

#include <cmath>
#include <limits>

#include "domain/text.h"

namespace leadline::domain {

void ConfigProblems::add(std::string_view field, std::string_view text) {
  std::string message = prefix_;
  if (!field.empty()) (message += '.') += field;
  (message += ' ') += text;
  list_.push_back(std::move(message));
}

const Json* config_field(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(key));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::int64_t> as_integer(const Json& value) {
  if (value.is_number_unsigned()) {
    auto n = value.get<std::uint64_t>();
    if (n > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return std::int64_t(n);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) {
    double d = value.get<double>();
    // Beyond 2^53 doubles are no longer exact integers, so refuse rather than guess.
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return std::int64_t(d);
  }
  return std::nullopt;
}

std::optional<double> as_number(const Json& value) {
  if (!value.is_number()) return std::nullopt;
  double d = value.get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

bool is_nonblank_string(const Json& value) {
  return value.is_string() && !trim(value.get_ref<const std::string&>()).empty();
}

void require_string(const Json& object, std::string_view key, std::string_view path,
                    ConfigProblems& problems) {
  const Json* value = config_field(object, key);
  if (value == nullptr) {
    problems.add(path, "is required");
  } else if (!is_nonblank_string(*value)) {
    problems.add(path, "must be a non-empty string");
  }
}

bool is_e164(std::string_view text) {
  if (text.size() < 9 || text.size() > 16 || text[0] != '+' || text[1] == '0') return false;
  for (char c : text.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_http_url(std::string_view text) {
  std::string_view rest;
  if (text.size() >= 7 && iequals(text.substr(0, 7), "http://")) {
    rest = text.substr(7);
  } else if (text.size() >= 8 && iequals(text.substr(0, 8), "https://")) {
    rest = text.substr(8);
  } else {
    return false;
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  for (char c : authority) {
    if (is_space(c) || static_cast<unsigned char>(c) < 0x20) return false;
  }
  if (authority.empty()) return false;
  if (authority.front() == '[') {  // IPv6 literal: "[::1]:8080"
    auto close = authority.find(']');
    return close != std::string_view::npos && close > 1;
  }
  return !authority.substr(0, authority.find(':')).empty();
}

std::string join_names(const std::string_view* names, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

bool is_one_of(std::string_view text, const std::string_view* names, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (iequals(text, names[i])) return true;
  }
  return false;
}

}  // namespace leadline::domain
