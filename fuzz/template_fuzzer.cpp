// render_template with fuzzed text and variables. Input: the variables as a JSON object on
// the first line (as leads carry them), then the template (URL, header, body or SMS text).
// Text after a NUL in the template is also set as the variable "raw", so values with any
// bytes at all (CSV cells are not checked for UTF-8) are rendered too.
#include <string>

#include "domain/template.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leadline;
  auto [first, text] = fuzz::split_first_line(fuzz::as_text(data, size));
  Json variables = fuzz::json_of(first).value_or(Json::object());
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    if (variables.is_object()) variables["raw"] = std::string(text.substr(nul + 1));
    text = text.substr(0, nul);
  }
  const std::string out = domain::render_template(text, variables);
  // Without any "{{" nothing is replaced.
  if (text.find("{{") == std::string_view::npos && out != text)
    fuzz::fail("text without placeholders changed");
  return 0;
}
