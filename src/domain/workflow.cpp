#include "domain/workflow.h"

#include <array>
#include <utility>

namespace leadline::domain {
namespace {

constexpr std::array<std::pair<WorkflowStatus, std::string_view>, 5> kStatusNames{{
    {WorkflowStatus::kDraft, "draft"},
    {WorkflowStatus::kActive, "active"},
    {WorkflowStatus::kPaused, "paused"},
    {WorkflowStatus::kCompleted, "completed"},
    {WorkflowStatus::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<LifecycleAction, std::string_view>, 6> kActionNames{{
    {LifecycleAction::kActivate, "activate"},
    {LifecycleAction::kPause, "pause"},
    {LifecycleAction::kResume, "resume"},
    {LifecycleAction::kCancel, "cancel"},
    {LifecycleAction::kComplete, "complete"},
    {LifecycleAction::kDeactivate, "deactivate"},
}};

}  // namespace

std::string_view to_string(WorkflowStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "draft";  // unreachable: every enumerator is listed
}

std::optional<WorkflowStatus> workflow_status_from_string(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == text) return value;
  }
  // Rows written by the original platform may still say "running".
  if (text == "running") return WorkflowStatus::kActive;
  return std::nullopt;
}

std::optional<LifecycleAction> lifecycle_action_from_string(std::string_view text) {
  for (const auto& [value, name] : kActionNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view to_string(LifecycleAction action) {
  for (const auto& [value, name] : kActionNames) {
    if (value == action) return name;
  }
  return "activate";  // unreachable: every enumerator is listed
}

std::optional<WorkflowStatus> apply_lifecycle(WorkflowStatus from, LifecycleAction action) {
  using S = WorkflowStatus;
  const bool running = from == S::kActive || from == S::kPaused;
  switch (action) {
    case LifecycleAction::kActivate:
      if (from == S::kDraft) return S::kActive;
      break;
    case LifecycleAction::kPause:
      if (from == S::kActive) return S::kPaused;
      break;
    case LifecycleAction::kResume:
      if (from == S::kPaused) return S::kActive;
      break;
    case LifecycleAction::kCancel:
      if (from == S::kDraft || running) return S::kCancelled;
      break;
    case LifecycleAction::kComplete:
      if (running) return S::kCompleted;
      break;
    case LifecycleAction::kDeactivate:
      if (running) return S::kDraft;
      break;
  }
  return std::nullopt;
}

bool is_final(WorkflowStatus status) {
  return status == WorkflowStatus::kCompleted || status == WorkflowStatus::kCancelled;
}

}  // namespace leadline::domain
