#pragma once
// What would happen to a lead from now on, given the outcomes its next calls will have:
// the real Executor stepped on a copy of the lead, at the times its waits end (delays,
// calling windows, callback times, call durations), writing nothing. Because it is the
// same code that runs the lead, the projection is what then happens, as long as the
// graph, settings and outcomes stay as given.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/lead.h"
#include "domain/suppression.h"
#include "engine/compiled_workflow.h"
#include "util/time.h"

namespace leadline::engine {

struct ProjectedStep {
  util::Millis at = 0;
  domain::HistoryEntry entry;  // as the history will record it, or a placed call
  bool call_placed = false;    // entry describes a call being placed (attempt, call_id)
};

struct Projection {
  std::vector<ProjectedStep> steps;
  // Why the projection stops: "completed", "dropped", "failed", "stalled" (no edge for an
  // outcome), "needs_outcome" (a call whose outcome was not given), "http" (a step that
  // waits for an HTTP answer), "not_running" (the lead is not pending or active), "exited"
  // (an assumed event ended it by an exit rule), or
  // "horizon" (more than kMaxSteps steps or a year ahead).
  std::string ends;
};

// An event assumed to come (POST /v1/events) at a time.
struct AssumedEvent {
  std::string type;
  util::Millis at = 0;
};

struct ProjectionInput {
  domain::Lead lead;
  std::optional<domain::Call> call;   // the row of lead.call_id, when it has one
  std::vector<std::string> outcomes;  // of the lead's next calls, in order
  util::Millis now = 0;
  std::int64_t call_millis = 30'000;  // how long a call lasts before its outcome
  // The do-not-call entry that stops the lead's number now (it counts while it lasts).
  std::optional<domain::Suppression> suppression;
  // The organization's settings (contact caps, state rules, opt-out; null: none) and the
  // times of its earlier calls to the number, which its caps count with the projected ones.
  std::shared_ptr<const Json> org_settings;
  std::vector<util::Millis> contacts;
  std::vector<AssumedEvent> events;  // in time order
};

Projection project_lead(const ProjectionInput& input, const CompiledWorkflow& workflow);

inline constexpr int kMaxProjectedSteps = 500;

}  // namespace leadline::engine
