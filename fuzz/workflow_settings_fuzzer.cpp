// Workflow bodies (POST/PATCH /v1/workflows): the settings object. The route checks
// settings.timezone with is_known_timezone and settings.calling_window with
// check_calling_window; the engine then reads the window (parse_calling_window,
// next_window_opening in the workflow's zone) and resolves leads' zones from the settings.
// Also the status and lifecycle names the workflow routes read from bodies and paths.
#include <string>

#include "domain/calling_window.h"
#include "domain/inbound_event.h"
#include "domain/lead_timezone.h"
#include "domain/workflow.h"
#include "fuzz_support.h"
#include "util/timezone.h"

namespace {
using namespace leadline;

// 2026-05-26T13:00:00Z.
constexpr util::Millis kNow = 1779800400000;

std::string string_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto body = fuzz::json_of(fuzz::as_text(data, size));
  if (!body || !body->is_object()) return 0;
  (void)domain::workflow_status_from_string(string_at(*body, "status"));
  (void)domain::lifecycle_action_from_string(string_at(*body, "action"));
  auto settings_it = body->find("settings");
  const Json& settings = settings_it != body->end() ? *settings_it : *body;
  if (!settings.is_object()) return 0;

  util::TimeZone zone;
  const std::string zone_name = string_at(settings, "timezone");
  if (util::is_known_timezone(zone_name)) {
    auto found = util::TimeZone::find(zone_name);
    if (!found) fuzz::fail("a known time zone cannot be found");
    zone = *found;
  }
  if (auto it = settings.find("calling_window"); it != settings.end() && !it->is_null()) {
    domain::ConfigProblems problems("settings");
    domain::check_calling_window(*it, problems);
    if (!problems.take().empty()) return 0;  // the route answers 400
  }
  if (auto window = domain::effective_calling_window(Json::object(), settings)) {
    (void)window->describe();
    if (auto opening = domain::next_window_opening(*window, zone, kNow); opening && *opening < kNow)
      fuzz::fail("the window opens before now");
  }
  // Exit rules, then an event (type and data from the body) applied as POST /v1/events does.
  if (auto it = settings.find("exit_rules"); it != settings.end()) {
    domain::ConfigProblems problems("settings");
    domain::check_exit_rules(*it, problems);
    if (problems.take().empty()) {
      domain::Lead lead;
      lead.status = domain::LeadStatus::kActive;
      lead.wait_kind = domain::WaitKind::kCall;
      lead.next_action_at = kNow;
      domain::InboundEvent event;
      event.type = string_at(*body, "type");
      if (auto data = body->find("data"); data != body->end() && data->is_object())
        event.data = *data;
      const auto applied = domain::apply_event(lead, event, settings, nullptr, kNow);
      if (applied.effect == domain::EventEffect::kExited &&
          (!domain::is_terminal(lead.status) || lead.wait_kind != domain::WaitKind::kCallDetached))
        fuzz::fail("an exit during a call left the lead open or forgot the call");
      (void)domain::event_after(lead, {event.type}, 0);
    }
  }
  // Enrolled leads' zones come from their variables, their phone, then these settings.
  const auto lead = domain::resolve_lead_timezone(settings.value("variables", Json::object()),
                                                  string_at(settings, "phone_number"), settings);
  (void)lead.zone.name();
  return 0;
}
