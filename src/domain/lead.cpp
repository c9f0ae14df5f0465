#include "domain/lead.h"

#include <array>
#include <charconv>
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

std::string Call::idempotency_key() const {
  return lead_id + ":" + node_id + ":" + std::to_string(attempt);
}

std::optional<CallAttempt> parse_call_idempotency_key(std::string_view key) {
  const size_t lead_end = key.find(':');
  const size_t node_end = key.rfind(':');
  if (lead_end == std::string_view::npos || node_end <= lead_end + 1 || lead_end == 0)
    return std::nullopt;
  const std::string_view digits = key.substr(node_end + 1);
  CallAttempt parsed{std::string(key.substr(0, lead_end)),
                     std::string(key.substr(lead_end + 1, node_end - lead_end - 1)), 0};
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), parsed.attempt);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      parsed.attempt < 1)
    return std::nullopt;
  return parsed;
}

}  // namespace leadline::domain
