#include "domain/lead_timezone.h"

#include "util/phone_timezone.h"

namespace leadline::domain {
namespace {
std::optional<util::TimeZone> zone_at(const Json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return util::TimeZone::find(it->get_ref<const std::string&>());
}
}  // namespace

LeadTimezone resolve_lead_timezone(const Json& variables, std::string_view phone_number,
                                   const Json& workflow_settings) {
  if (auto zone = zone_at(variables, kTimezoneVariable)) return {*zone, "lead_variable"};
  if (auto name = util::phone_timezone(phone_number)) {
    if (auto zone = util::TimeZone::find(*name)) return {*zone, "phone_number"};
  }
  if (auto zone = zone_at(workflow_settings, "timezone")) return {*zone, "workflow_settings"};
  return {util::TimeZone::utc(), "default"};
}

}  // namespace leadline::domain
