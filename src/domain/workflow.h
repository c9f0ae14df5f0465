#pragma once
// A workflow's record and its lifecycle (spec §2.1, §2.8). Pure values, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

enum class WorkflowStatus { kDraft, kActive, kPaused, kCompleted, kCancelled };

std::string_view to_string(WorkflowStatus status);
// Accepts the spec's values, plus the legacy stored value "running" (read as active).
std::optional<WorkflowStatus> workflow_status_from_string(std::string_view text);

// Lifecycle actions of §2.8 ("activate", "pause", "resume", "cancel", "complete",
// "deactivate").
enum class LifecycleAction { kActivate, kPause, kResume, kCancel, kComplete, kDeactivate };
std::optional<LifecycleAction> lifecycle_action_from_string(std::string_view text);
std::string_view to_string(LifecycleAction action);
// The status the action leads to from `from`, or nullopt when the transition is illegal.
std::optional<WorkflowStatus> apply_lifecycle(WorkflowStatus from, LifecycleAction action);
// Graph edits, enrolment and PATCH are refused once a workflow is completed or cancelled.
bool is_final(WorkflowStatus status);

struct Workflow {
  std::string id;
  std::string org_id;
  std::string title;
  std::optional<std::string> description;
  WorkflowStatus status = WorkflowStatus::kDraft;
  Json settings = Json::object();
  std::int64_t version = 1;  // bumped on every graph or settings edit (engine graph cache)
  util::Millis created_at = 0;
  util::Millis updated_at = 0;
  std::optional<util::Millis> paused_at;  // when the current pause/deactivation began
  // Derived counts, filled by the store when it reads a workflow.
  std::int64_t node_count = 0;
  std::int64_t edge_count = 0;
  std::int64_t enrolled_leads = 0;
};

}  // namespace leadline::domain
