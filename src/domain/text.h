#pragma once
// The ASCII text helpers of util/text.h, as the domain files name them.
#include "util/text.h"

namespace leadline::domain {
using util::ascii_lower;
using util::ascii_upper;
using util::iequals;
using util::is_space;
using util::starts_with_ignore_case;
using util::to_lower;
using util::to_upper;
using util::trim;
}  // namespace leadline::domain
