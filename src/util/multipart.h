#pragma once
// multipart/form-data (RFC 7578) request bodies, as sent by browsers and curl -F for
// lead uploads. Parts are views into the body, so a 50 MB upload is never copied; the
// body must outlive the parts. Pure function: safe from any thread.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/csv.h"  // ParseError

namespace leadline::util {

struct FormPart {
  std::string name;          // Content-Disposition name
  std::string filename;      // "" when the part is not a file
  std::string content_type;  // the part's Content-Type, "" when absent (RFC 7578: text/plain)
  std::string_view data;     // the part's bytes, exactly as sent
};

// Splits `body` using the boundary in `content_type_header` (the request's whole
// Content-Type value, e.g. `multipart/form-data; boundary="xyz"`). Parts come back in
// body order. Preamble and epilogue are ignored; bare LF line ends are tolerated.
// Errors: not multipart/form-data, no boundary, a part without a name or header end,
// a body without its closing boundary, more than limits::kMaxMultipartParts parts, or a
// part's headers over limits::kMaxMultipartHeaderBytes.
std::variant<std::vector<FormPart>, ParseError> parse_multipart(
    std::string_view body, std::string_view content_type_header);

}  // namespace leadline::util
