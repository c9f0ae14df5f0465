#include "domain/eligibility.h"

#include <algorithm>

namespace leadline::domain {
namespace {
const CallingWindow* hours_of(const StateRule* state) { return state ? &state->hours : nullptr; }

// Who set the cap, for sentences.
std::string cap_owner(const ContactCap& cap) {
  if (cap.source.rfind("state:", 0) == 0) {
    const std::string code = cap.source.substr(6);
    for (const auto& rule : state_rules())
      if (rule.code == code) return rule.name + "'s state rule";
    return "the state rule of " + code;
  }
  return "the " + cap.source + "'s contact cap";
}

// The first time at or after `at` when the windows are open and every cap has room (no new
// calls assumed); nullopt when the windows never open.
std::optional<util::Millis> first_allowed(const LeadTimezone& zone, const CallRules& rules,
                                          util::Millis at) {
  const CallingWindow* window = rules.window ? &*rules.window : nullptr;
  for (int round = 0; round < 16; ++round) {
    auto opening = next_opening_in_both(window, hours_of(rules.state), zone.zone, at);
    if (!opening) return std::nullopt;
    auto held = cap_wait(rules.caps, rules.contacts, *opening);
    if (!held) return opening;
    at = held->until;
  }
  return std::nullopt;
}
}  // namespace

std::string describe_hours(const CallingWindow* window, const StateRule* state) {
  std::string text;
  if (window) text = "the calling window " + window->describe();
  if (state) {
    if (!text.empty()) text += " and ";
    text += state->name + "'s lawful hours " + state->hours.describe() + " (state rule)";
  }
  return text;
}

std::string cap_wait_reason(const CapWait& held, const util::TimeZone& zone) {
  return "contact cap reached: " + cap_owner(held.cap) + " allows " + held.cap.describe() +
         " and the number had " + std::to_string(held.calls_in_window) + "; waiting until " +
         zone.format(held.until);
}

Eligibility call_eligibility(const Lead* lead, const LeadTimezone& zone, const CallRules& rules,
                             util::Millis now) {
  Eligibility result;
  if (lead && is_terminal(lead->status))
    result.blocked_by.push_back(
        {"lead_status",
         "the lead has left the workflow (" + std::string(to_string(lead->status)) + ")",
         std::nullopt, std::nullopt});
  if (rules.entry)
    result.blocked_by.push_back(
        {"suppression", suppression_reason(*rules.entry), rules.entry->expires_at, std::nullopt});
  if (lead && rules.consent)
    if (auto shortfall = consent_shortfall(lead->consent, *rules.consent))
      result.blocked_by.push_back({"consent", *shortfall, std::nullopt, std::nullopt});
  // Each set of hours alone, so the answer names the one that is closed.
  auto closed = [&](const CallingWindow& hours, const std::string& rule, const std::string& what) {
    const auto opening = next_window_opening(hours, zone.zone, now);
    if (opening == now) return;
    result.blocked_by.push_back(
        {rule,
         "outside " + what + " in " + zone.zone.name() + " (from " + zone.source + ")" +
             (opening ? "; it opens " + zone.zone.format(*opening) : "; it never opens"),
         opening, std::nullopt});
  };
  if (rules.window)
    closed(*rules.window, "calling_window", describe_hours(&*rules.window, nullptr));
  if (rules.state) closed(rules.state->hours, "state_rule", describe_hours(nullptr, rules.state));
  for (const auto& cap : rules.caps)
    if (auto held = cap_wait({cap}, rules.contacts, now))
      result.blocked_by.push_back(
          {"contact_cap", cap_wait_reason(*held, zone.zone), held->until, cap.source});
  result.eligible = result.blocked_by.empty();
  if (result.eligible) return result;
  const bool lifts = std::all_of(result.blocked_by.begin(), result.blocked_by.end(),
                                 [](const Block& b) { return b.until.has_value(); });
  if (!lifts) return result;
  util::Millis at = now;
  for (const auto& block : result.blocked_by) at = std::max(at, *block.until);
  // Hours may be closed again, or a cap full, when the last block lifts.
  result.next_eligible_at = first_allowed(zone, rules, at);
  return result;
}

}  // namespace leadline::domain
