#include "util/multipart.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>

#include "util/input_limits.h"
#include "util/text.h"

namespace leadline::util {
namespace {

// One `key=value` or `key="quoted \" value"` parameter of a header, as in
// `form-data; name="file"; filename="a.csv"`.
struct Param {
  std::string_view key;
  std::string value;
};

// Splits `rest` (what follows the header's first token) into parameters. A quoted value
// may contain ';', so this walks character by character rather than splitting.
std::vector<Param> parse_params(std::string_view rest) {
  std::vector<Param> params;
  size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && (rest[i] == ';' || rest[i] == ' ' || rest[i] == '\t')) ++i;
    const size_t key_start = i;
    while (i < rest.size() && rest[i] != '=' && rest[i] != ';') ++i;
    Param param{trim(rest.substr(key_start, i - key_start)), {}};
    if (i < rest.size() && rest[i] == '=') {
      ++i;
      while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
      if (i < rest.size() && rest[i] == '"') {
        for (++i; i < rest.size() && rest[i] != '"'; ++i) {
          if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
          param.value.push_back(rest[i]);
        }
        ++i;  // closing quote (or past the end when missing)
        while (i < rest.size() && rest[i] != ';') ++i;
      } else {
        const size_t value_start = i;
        while (i < rest.size() && rest[i] != ';') ++i;
        param.value = std::string(trim(rest.substr(value_start, i - value_start)));
      }
    }
    if (!param.key.empty()) params.push_back(std::move(param));
  }
  return params;
}

std::optional<std::string> find_param(const std::vector<Param>& params, std::string_view key) {
  for (const auto& p : params) {
    if (util::iequals(p.key, key)) return p.value;
  }
  return std::nullopt;
}

// Decodes RFC 5987 `UTF-8''a%20b.csv` (filename*=), which some clients still send.
std::string decode_ext_value(std::string_view value) {
  const auto quote = value.find("''");
  if (quote != std::string_view::npos) value.remove_prefix(quote + 2);
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '%' && i + 2 < value.size() && std::isxdigit(value[i + 1]) &&
        std::isxdigit(value[i + 2])) {
      out.push_back(static_cast<char>(std::stoi(std::string(value.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(value[i]);
    }
  }
  return out;
}

// Where the part's header block ends and its data starts: just past the first empty
// line at or after `pos`. Header blocks are small, so a long search means garbage.
std::optional<std::pair<size_t, size_t>> find_header_end(std::string_view body, size_t pos) {
  const size_t limit = std::min(body.size(), pos + limits::kMaxMultipartHeaderBytes);
  for (size_t line = pos; line < limit;) {
    const auto eol = body.find('\n', line);
    if (eol == std::string_view::npos || eol >= limit) break;
    if (eol == line || (eol == line + 1 && body[line] == '\r')) return std::pair{line, eol + 1};
    line = eol + 1;
  }
  return std::nullopt;
}

// True when the delimiter at `end` (its leading '\n') really closes the line: RFC 2046
// lets only "--", padding or a line end follow the boundary.
bool is_real_delimiter(std::string_view body, size_t after) {
  if (after >= body.size()) return false;
  const char c = body[after];
  return c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::optional<ParseError> parse_headers(std::string_view headers, size_t index, FormPart& part) {
  bool has_disposition = false;
  while (!headers.empty()) {
    const auto eol = headers.find('\n');
    const auto line = trim(headers.substr(0, eol));
    headers = eol == std::string_view::npos ? std::string_view{} : headers.substr(eol + 1);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const auto name = trim(line.substr(0, colon));
    const auto value = trim(line.substr(colon + 1));
    if (util::iequals(name, "Content-Type")) {
      part.content_type = std::string(value);
    } else if (util::iequals(name, "Content-Disposition")) {
      has_disposition = true;
      const auto params = parse_params(value.substr(std::min(value.find(';'), value.size())));
      part.name = find_param(params, "name").value_or("");
      part.filename = find_param(params, "filename").value_or("");
      if (part.filename.empty()) {
        if (auto ext = find_param(params, "filename*")) part.filename = decode_ext_value(*ext);
      }
    }
  }
  if (!has_disposition || part.name.empty()) {
    return ParseError{"multipart part " + std::to_string(index) + " has no field name"};
  }
  return std::nullopt;
}

}  // namespace

std::variant<std::vector<FormPart>, ParseError> parse_multipart(
    std::string_view body, std::string_view content_type_header) {
  const auto semicolon = content_type_header.find(';');
  if (!util::iequals(trim(content_type_header.substr(0, semicolon)), "multipart/form-data")) {
    return ParseError{"content type is not multipart/form-data"};
  }
  const auto params = parse_params(
      semicolon == std::string_view::npos ? "" : content_type_header.substr(semicolon + 1));
  const auto boundary = find_param(params, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) {
    return ParseError{"multipart/form-data content type has no valid boundary"};
  }

  // Every delimiter but the first is preceded by a line end that belongs to it.
  const std::string dash_boundary = "--" + *boundary;
  const std::string delimiter = "\n" + dash_boundary;
  const std::boyer_moore_horspool_searcher find_delimiter(delimiter.begin(), delimiter.end());
  auto next_delimiter = [&](size_t from) {
    const auto it =
        std::search(body.begin() + static_cast<ptrdiff_t>(from), body.end(), find_delimiter);
    return it == body.end() ? std::string_view::npos : static_cast<size_t>(it - body.begin());
  };

  // A delimiter inside data that lacks a proper ending is content: look further.
  auto next_real_delimiter = [&](size_t from) {
    for (auto at = next_delimiter(from); at != std::string_view::npos;
         at = next_delimiter(at + 1)) {
      if (is_real_delimiter(body, at + delimiter.size())) return at;
    }
    return std::string_view::npos;
  };

  size_t pos;
  if (body.starts_with(dash_boundary) && is_real_delimiter(body, dash_boundary.size())) {
    pos = dash_boundary.size();
  } else {
    const auto first = next_real_delimiter(0);  // skips a preamble
    if (first == std::string_view::npos) return ParseError{"multipart body has no boundary"};
    pos = first + delimiter.size();
  }

  std::vector<FormPart> parts;
  while (true) {
    if (body.substr(pos).starts_with("--")) return parts;  // closing delimiter
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;  // padding
    if (body.substr(pos).starts_with("\r")) ++pos;
    if (!body.substr(pos).starts_with("\n")) return ParseError{"malformed multipart boundary line"};
    ++pos;

    const auto index = parts.size() + 1;
    if (index > limits::kMaxMultipartParts) {
      return ParseError{"the form has more than " + std::to_string(limits::kMaxMultipartParts) +
                        " parts, the limit"};
    }
    const auto header_end = find_header_end(body, pos);
    if (!header_end) {
      if (body.size() - pos > limits::kMaxMultipartHeaderBytes) {
        return ParseError{"the headers of multipart part " + std::to_string(index) +
                          " are longer than " + std::to_string(limits::kMaxMultipartHeaderBytes) +
                          " bytes, the limit, or never end"};
      }
      return ParseError{"multipart part " + std::to_string(index) + " has no end of headers"};
    }
    const auto [headers_end, data_start] = *header_end;
    FormPart part;
    if (auto error = parse_headers(body.substr(pos, headers_end - pos), index, part)) {
      return *std::move(error);
    }
    const auto end = next_real_delimiter(data_start);
    if (end == std::string_view::npos) return ParseError{"multipart body has no closing boundary"};
    // The line end before the delimiter is CRLF per RFC, or a bare LF from lax clients.
    const size_t data_end = end > data_start && body[end - 1] == '\r' ? end - 1 : end;
    part.data = body.substr(data_start, data_end - data_start);
    parts.push_back(std::move(part));
    pos = end + delimiter.size();
  }
}

}  // namespace leadline::util
