#include "util/json_parse.h"

#include <vector>

#include "util/utf8.h"

namespace leadline::util {
namespace {

// Checks depth and object sizes in one pass over the text, before nlohmann builds anything.
// Structure errors (unbalanced brackets, bad tokens) are left to the parser to report.
std::optional<std::string> limit_problem(std::string_view text, const JsonLimits& limits) {
  // Per open array or object: whether it is an object, and its commas so far (members - 1).
  struct Open {
    bool object;
    std::size_t commas;
  };
  std::vector<Open> open;
  open.reserve(static_cast<std::size_t>(limits.max_depth));
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (static_cast<int>(open.size()) >= limits.max_depth) {
          return "JSON nests deeper than " + std::to_string(limits.max_depth) + " levels";
        }
        open.push_back({c == '{', 0});
        break;
      case '}':
      case ']':
        if (!open.empty()) open.pop_back();
        break;
      case ',':
        if (!open.empty() && open.back().object &&
            ++open.back().commas >= limits.max_object_members) {
          return "a JSON object has more than " + std::to_string(limits.max_object_members) +
                 " members";
        }
        break;
      default:
        break;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Json> parse_json(std::string_view text, const JsonLimits& limits,
                               std::string* problem) {
  if (auto exceeded = limit_problem(text, limits)) {
    if (problem) *problem = std::move(*exceeded);
    return std::nullopt;
  }
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    if (problem) *problem = "malformed JSON";
    return std::nullopt;
  }
  return parsed;
}

Json parse_json_or_text(std::string_view text, const JsonLimits& limits) {
  if (auto parsed = parse_json(text, limits)) return std::move(*parsed);
  return Json(to_valid_utf8(text));
}

}  // namespace leadline::util
