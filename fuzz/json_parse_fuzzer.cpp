// parse_json, the depth- and size-limited parser every request body and peer answer goes
// through. Checks that what it accepts really is within the limits it was given, with the
// defaults and with tight ones, and that parse_json_or_text always yields a dumpable value.
#include <cstddef>
#include <string>

#include "fuzz_support.h"

namespace {
using leadline::Json;

// Deepest nesting of arrays and objects, and the most members of any object.
void measure(const Json& value, int depth, int& max_depth, std::size_t& max_members) {
  if (!value.is_structured()) return;
  ++depth;
  if (depth > max_depth) max_depth = depth;
  if (value.is_object() && value.size() > max_members) max_members = value.size();
  for (const auto& child : value) measure(child, depth, max_depth, max_members);
}

void check(std::string_view text, const leadline::util::JsonLimits& limits) {
  std::string problem;
  const auto parsed = leadline::util::parse_json(text, limits, &problem);
  if (!parsed) {
    if (problem.empty()) leadline::fuzz::fail("parse_json failed without saying why");
    return;
  }
  int depth = 0;
  std::size_t members = 0;
  measure(*parsed, 0, depth, members);
  if (depth > limits.max_depth) leadline::fuzz::fail("parse_json accepted too deep a value");
  if (members > limits.max_object_members)
    leadline::fuzz::fail("parse_json accepted an object with too many members");
  (void)parsed->dump();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = leadline::fuzz::as_text(data, size);
  check(text, leadline::util::kDefaultJsonLimits);
  check(text, leadline::util::JsonLimits{3, 4});
  (void)leadline::util::parse_json_or_text(text).dump();
  return 0;
}
