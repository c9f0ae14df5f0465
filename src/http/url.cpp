#include "http/url.h"

#include "util/utf8.h"

namespace leadline::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string_view> text_problem(std::string_view value) {
  if (!util::is_valid_utf8(value)) return "is not valid UTF-8 once percent-decoded";
  if (value.find('\0') != std::string_view::npos) return "holds a NUL character (%00)";
  return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Target split_target(std::string_view target) {
  if (const auto hash = target.find('#'); hash != std::string_view::npos)
    target = target.substr(0, hash);
  const auto question = target.find('?');
  if (question == std::string_view::npos) return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

std::optional<std::map<std::string, std::string>> parse_query(std::string_view query,
                                                              std::string* error) {
  auto fail = [&](std::string message) -> std::optional<std::map<std::string, std::string>> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2" is common in hand-built URLs; not an error
    const auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    // Undecodable names are not echoed: they are not text.
    if (!name) return fail("A query parameter name is badly percent-encoded");
    if (auto problem = text_problem(*name))
      return fail("A query parameter name " + std::string(*problem));
    if (!value) return fail("Query parameter " + *name + " is badly percent-encoded");
    if (auto problem = text_problem(*value))
      return fail("Query parameter " + *name + " " + std::string(*problem));
    out.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

}  // namespace leadline::http
