#include "domain/template.h"
#include "domain/text.h"

namespace leadline::domain {
namespace {

// Walks `text`, handing literal pieces to `literal` and each placeholder's variable (nullptr
// when unknown) to `value`.
template <typename Literal, typename Value>
void scan(std::string_view text, const Json& variables, Literal&& literal, Value&& value) {
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    const size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      literal(text.substr(pos));
      break;
    }
    literal(text.substr(pos, open - pos));
    std::string_view name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.starts_with("lead.")) name.remove_prefix(5);
    auto it = variables.is_object() ? variables.find(name) : variables.end();
    value(it != variables.end() ? &*it : nullptr);
    pos = close + 2;
  }
}

std::string as_text(const Json* value) {
  if (value == nullptr) return "";
  return value->is_string() ? value->get<std::string>()
                            : value->dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // "." and ".." are dot segments: a server would resolve them against the path.
  const bool dot_segment = value == "." || value == "..";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (is_unreserved(c) && !(dot_segment && c == '.')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace

std::string render_template(std::string_view text, const Json& variables) {
  std::string out;
  out.reserve(text.size());
  scan(
      text, variables, [&](std::string_view piece) { out.append(piece); },
      [&](const Json* value) { out += as_text(value); });
  return out;
}

std::string render_url_template(std::string_view text, const Json& variables) {
  std::string out;
  out.reserve(text.size());
  scan(
      text, variables, [&](std::string_view piece) { out.append(piece); },
      [&](const Json* value) { out += percent_encode(as_text(value)); });
  return out;
}

std::string render_header_template(std::string_view text, const Json& variables) {
  std::string out;
  out.reserve(text.size());
  scan(
      text, variables, [&](std::string_view piece) { out.append(piece); },
      [&](const Json* value) {
        for (char c : as_text(value))
          if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) out += c;
      });
  return out;
}

std::string render_json_template(std::string_view text, const Json& variables) {
  std::string out;
  out.reserve(text.size());
  // Whether the literal text so far leaves us inside a JSON string literal.
  bool in_string = false;
  bool escaped = false;
  scan(
      text, variables,
      [&](std::string_view piece) {
        out.append(piece);
        for (char c : piece) {
          if (escaped) {
            escaped = false;
          } else if (in_string && c == '\\') {
            escaped = true;
          } else if (c == '"') {
            in_string = !in_string;
          }
        }
      },
      [&](const Json* value) {
        if (!in_string) {
          out += value != nullptr ? value->dump(-1, ' ', false, Json::error_handler_t::replace)
                                  : "null";
          return;
        }
        // dump() escapes quotes, backslashes and control characters.
        const std::string quoted =
            Json(as_text(value)).dump(-1, ' ', false, Json::error_handler_t::replace);
        out.append(quoted, 1, quoted.size() - 2);
      });
  return out;
}

std::string_view url_template_origin(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return url;
  const size_t end = url.find_first_of("/?#", scheme_end + 3);
  return url.substr(0, end);
}

bool url_template_has_variable_host(std::string_view url) {
  if (!starts_with_ignore_case(url, "http://") && !starts_with_ignore_case(url, "https://"))
    return url.find("{{") != std::string_view::npos;
  return url_template_origin(url).find("{{") != std::string_view::npos;
}

}  // namespace leadline::domain
