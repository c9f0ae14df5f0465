#include "domain/lead.h"

#include <array>
#include <utility>

namespace leadline::domain {
namespace {
constexpr std::array<std::pair<LeadStatus, std::string_view>, 7> kLeadStatuses = {{
    {LeadStatus::kPending, "pending"},
    {LeadStatus::kActive, "active"},
    {LeadStatus::kCompleted, "completed"},
    {LeadStatus::kDropped, "dropped"},
    {LeadStatus::kRemoved, "removed"},
    {LeadStatus::kCancelled, "cancelled"},
    {LeadStatus::kFailed, "failed"},
}};
constexpr std::array<std::pair<WaitKind, std::string_view>, 8> kWaitKinds = {{
    {WaitKind::kNone, "none"},
    {WaitKind::kDelay, "delay"},
    {WaitKind::kCall, "call"},
    {WaitKind::kCallDetached, "call_detached"},
    {WaitKind::kHttp, "http"},
    {WaitKind::kWindow, "window"},
    {WaitKind::kContactCap, "contact_cap"},
    {WaitKind::kEvent, "event"},
}};
}  // namespace

std::string_view to_string(LeadStatus status) {
  for (const auto& [value, name] : kLeadStatuses)
    if (value == status) return name;
  return "failed";
}

std::optional<LeadStatus> lead_status_from_string(std::string_view text) {
  if (text == "in_progress") return LeadStatus::kActive;
  for (const auto& [value, name] : kLeadStatuses)
    if (name == text) return value;
  return std::nullopt;
}

bool is_terminal(LeadStatus status) {
  return status != LeadStatus::kPending && status != LeadStatus::kActive;
}

std::string_view to_string(WaitKind kind) {
  for (const auto& [value, name] : kWaitKinds)
    if (value == kind) return name;
  return "none";
}

WaitKind wait_kind_from_string(std::string_view text) {
  for (const auto& [value, name] : kWaitKinds)
    if (name == text) return value;
  return WaitKind::kNone;
}

std::string call_status_for_outcome(std::string_view outcome) {
  std::string status(outcome);
  for (char& c : status) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return status;
}

}  // namespace leadline::domain
