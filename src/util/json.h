#pragma once
// The JSON type used across layers (nlohmann, ordered so rendered objects keep field order).
#include <nlohmann/json.hpp>

namespace leadline {
using Json = nlohmann::ordered_json;
}  // namespace leadline
