// Request targets: split_target, percent_decode (both modes) and parse_query, as the server
// applies them to every request line.
#include <string>

#include "fuzz_support.h"
#include "http/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace leadline;
  const auto text = fuzz::as_text(data, size);
  const auto target = http::split_target(text);
  if (target.path.size() + target.query.size() > text.size()) fuzz::fail("split_target grew");
  if (auto path = http::percent_decode(target.path)) {
    if (path->size() > target.path.size()) fuzz::fail("percent_decode grew the path");
  }
  (void)http::percent_decode(text, true);
  if (auto query = http::parse_query(target.query)) {
    for (const auto& [name, value] : *query)
      if (name.size() + value.size() > target.query.size()) fuzz::fail("parse_query grew");
  }
  return 0;
}
