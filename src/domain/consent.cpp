#include "domain/consent.h"

namespace leadline::domain {
namespace {
constexpr size_t kMaxSource = 500;
constexpr size_t kMaxEvidenceBytes = 4096;
constexpr std::string_view kLevels = "express_written, express or none";
}  // namespace

std::string_view to_string(ConsentLevel level) {
  switch (level) {
    case ConsentLevel::kExpressWritten:
      return "express_written";
    case ConsentLevel::kExpress:
      return "express";
    case ConsentLevel::kNone:
      return "none";
  }
  return "none";
}

std::optional<ConsentLevel> consent_level_from_string(std::string_view text) {
  if (text == "express_written") return ConsentLevel::kExpressWritten;
  if (text == "express") return ConsentLevel::kExpress;
  if (text == "none") return ConsentLevel::kNone;
  return std::nullopt;
}

Json read_consent(const Json& value, util::Millis now, std::vector<std::string>& problems) {
  if (value.is_null()) return nullptr;
  if (!value.is_object()) {
    problems.push_back("consent must be an object {type, source, obtained_at, evidence}");
    return nullptr;
  }
  Json out = {
      {"type", nullptr}, {"source", nullptr}, {"obtained_at", nullptr}, {"evidence", nullptr}};
  const size_t before = problems.size();
  for (const auto& [key, item] : value.items()) {
    if (key == "type") {
      if (!item.is_string() || !consent_level_from_string(item.get<std::string>()))
        problems.push_back("consent.type must be one of " + std::string(kLevels));
      else
        out["type"] = item;
    } else if (key == "source") {
      if (!item.is_null() && (!item.is_string() || item.get<std::string>().size() > kMaxSource))
        problems.push_back("consent.source must be text of at most " + std::to_string(kMaxSource) +
                           " bytes");
      else
        out["source"] = item;
    } else if (key == "obtained_at") {
      if (item.is_null()) continue;
      const auto at = item.is_string() ? util::parse_iso(item.get<std::string>()) : std::nullopt;
      if (!at)
        problems.push_back("consent.obtained_at must be an ISO 8601 time");
      else if (*at > now)
        problems.push_back("consent.obtained_at is in the future");
      else
        out["obtained_at"] = util::format_iso(*at);
    } else if (key == "evidence") {
      if (item.dump().size() > kMaxEvidenceBytes)
        problems.push_back("consent.evidence must be at most " + std::to_string(kMaxEvidenceBytes) +
                           " bytes of JSON");
      else
        out["evidence"] = item;
    } else {
      problems.push_back("consent." + key +
                         " is not a field (type, source, obtained_at, evidence)");
    }
  }
  if (!value.contains("type") && problems.size() == before)
    problems.push_back("consent.type is required: " + std::string(kLevels));
  return problems.size() == before ? out : Json(nullptr);
}

std::optional<ConsentLevel> required_consent(const Json& workflow_settings) {
  auto it = workflow_settings.find("require_consent");
  if (it == workflow_settings.end() || !it->is_string()) return std::nullopt;
  auto level = consent_level_from_string(it->get<std::string>());
  if (!level || *level == ConsentLevel::kNone) return std::nullopt;
  return level;
}

void check_require_consent(const Json& value, ConfigProblems& problems) {
  if (value.is_null()) return;
  if (!value.is_string() || !consent_level_from_string(value.get<std::string>()))
    problems.add("require_consent", "must be express_written, express, none or null");
}

std::optional<std::string> consent_shortfall(const Json& consent, ConsentLevel required) {
  const std::string needed = "consent of type " + std::string(to_string(required)) +
                             (required == ConsentLevel::kExpress ? " or express_written" : "") +
                             " is required (settings.require_consent)";
  if (!consent.is_object() || !consent.value("type", Json(nullptr)).is_string())
    return needed + "; the lead has none";
  const std::string type = consent["type"];
  const auto level = consent_level_from_string(type);
  if (!level || *level < required) return needed + "; the lead's is " + type;
  return std::nullopt;
}

}  // namespace leadline::domain
