#include "domain/flow_nodes.h"

#include <array>
#include <cmath>
#include <unordered_set>

#include "domain/text.h"
#include "util/hash.h"

namespace leadline::domain {
namespace {

constexpr std::array<std::string_view, 3> kTimeoutKeys{"timeout_minutes", "timeout_hours",
                                                       "timeout_days"};
constexpr std::array<double, 3> kMinutesPerUnit{1, 60, 24 * 60};
constexpr double kMaxTimeoutMinutes = 365.0 * 24 * 60;
constexpr size_t kMaxEventTypes = 20;
constexpr size_t kMinVariants = 2, kMaxVariants = 10, kMaxVariantLabel = 40;
constexpr std::int64_t kMaxWeight = 10'000;

}  // namespace

bool is_event_type_name(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (unsigned char c : text) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void check_wait_for_event(const Json& config, ConfigProblems& problems) {
  const Json* types = config_field(config, "event_types");
  if (types == nullptr) {
    problems.add("event_types", "is required");
  } else if (!types->is_array() || types->empty() || types->size() > kMaxEventTypes) {
    problems.add("event_types",
                 "must be a list of 1 to " + std::to_string(kMaxEventTypes) + " event type names");
  } else {
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < types->size(); ++i) {
      const Json& type = (*types)[i];
      const std::string path = "event_types[" + std::to_string(i) + "]";
      if (!type.is_string() || !is_event_type_name(type.get_ref<const std::string&>())) {
        problems.add(path, "must be 1 to 64 letters, digits or _ . : -");
      } else if (iequals(type.get_ref<const std::string&>(), kEventTimeout)) {
        problems.add(path, "must not be \"timeout\": that label is the timeout's edge");
      } else if (!seen.insert(to_lower(type.get_ref<const std::string&>())).second) {
        problems.add(path, "repeats an event type");
      }
    }
  }
  int given = 0;
  for (size_t i = 0; i < kTimeoutKeys.size(); ++i) {
    const Json* value = config_field(config, kTimeoutKeys[i]);
    if (value == nullptr) continue;
    ++given;
    const auto d = as_number(*value);
    if (!d || *d <= 0 || *d * kMinutesPerUnit[i] > kMaxTimeoutMinutes)
      problems.add(kTimeoutKeys[i], "must be a number greater than 0 and at most 365 days");
  }
  if (given != 1)
    problems.add("timeout_minutes/timeout_hours/timeout_days",
                 given == 0 ? "is required (one of them)" : "must be given once, not in two units");
}

EventWaitConfig parse_wait_for_event_config(const Json& config) {
  EventWaitConfig out;
  if (const Json* types = config_field(config, "event_types"); types && types->is_array())
    for (const Json& type : *types)
      if (type.is_string()) out.event_types.push_back(type.get<std::string>());
  for (size_t i = 0; i < kTimeoutKeys.size(); ++i) {
    const Json* value = config_field(config, kTimeoutKeys[i]);
    if (value == nullptr) continue;
    if (auto d = as_number(*value); d && *d > 0) {
      const double minutes = std::min(*d * kMinutesPerUnit[i], kMaxTimeoutMinutes);
      out.timeout_ms = util::Millis(std::llround(minutes * 60'000.0));
      break;
    }
  }
  return out;
}

void check_split(const Json& config, ConfigProblems& problems) {
  const Json* variants = config_field(config, "variants");
  if (variants == nullptr) {
    problems.add("variants", "is required");
    return;
  }
  if (!variants->is_array() || variants->size() < kMinVariants || variants->size() > kMaxVariants) {
    problems.add("variants", "must be a list of 2 to 10 {\"label\", \"weight\"} objects");
    return;
  }
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < variants->size(); ++i) {
    const Json& variant = (*variants)[i];
    const std::string path = "variants[" + std::to_string(i) + "]";
    if (!variant.is_object()) {
      problems.add(path, "must be an object with label and weight");
      continue;
    }
    const Json* label = config_field(variant, "label");
    if (label == nullptr || !is_nonblank_string(*label) ||
        label->get_ref<const std::string&>().size() > kMaxVariantLabel) {
      problems.add(path + ".label", "must be a non-empty string of at most 40 characters");
    } else if (!seen.insert(to_lower(label->get_ref<const std::string&>())).second) {
      problems.add(path + ".label", "repeats another variant's label");
    }
    const Json* weight = config_field(variant, "weight");
    const auto n = weight ? as_integer(*weight) : std::nullopt;
    if (!n || *n < 1 || *n > kMaxWeight)
      problems.add(path + ".weight", "must be an integer from 1 to 10000");
  }
}

SplitConfig parse_split_config(const Json& config) {
  SplitConfig out;
  const Json* variants = config_field(config, "variants");
  if (variants == nullptr || !variants->is_array()) return out;
  for (const Json& variant : *variants) {
    const Json* label = config_field(variant, "label");
    const Json* weight = config_field(variant, "weight");
    const auto n = weight ? as_integer(*weight) : std::nullopt;
    if (label == nullptr || !label->is_string() || !n || *n < 1) continue;
    out.variants.push_back({label->get<std::string>(), std::min(*n, kMaxWeight)});
  }
  return out;
}

const SplitVariant* pick_variant(const SplitConfig& config, std::string_view lead_id,
                                 std::string_view node_id) {
  std::uint64_t total = 0;
  for (const auto& variant : config.variants) total += std::uint64_t(variant.weight);
  if (total == 0) return nullptr;
  std::uint64_t point = util::stable_hash(lead_id, node_id) % total;
  for (const auto& variant : config.variants) {
    if (point < std::uint64_t(variant.weight)) return &variant;
    point -= std::uint64_t(variant.weight);
  }
  return &config.variants.back();
}

}  // namespace leadline::domain
