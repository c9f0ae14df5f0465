#include "engine/projection.h"

#include "domain/inbound_event.h"
#include "engine/executor.h"
#include "providers/call_simulator.h"

namespace leadline::engine {
namespace {
constexpr util::Millis kHorizon = 366LL * 24 * 3600 * 1000;

// The simulator takes a call's outcome from the lead's sim_outcomes by call index, so the
// given outcomes go after the lead's earlier calls (whose entries are never read again).
std::string sim_outcomes_for(std::int64_t earlier_calls, const std::vector<std::string>& given) {
  std::string list;
  for (std::int64_t i = 0; i < earlier_calls; ++i) list += "-,";
  for (const auto& outcome : given) list += outcome + ",";
  if (!list.empty()) list.pop_back();
  return list;
}
}  // namespace

Projection project_lead(const ProjectionInput& input, const CompiledWorkflow& workflow) {
  providers::SimulatorOptions options;
  options.call_millis = input.call_millis;
  const providers::CallSimulator simulator(options);
  const Executor executor(simulator);

  Projection out;
  auto stop = [&out](std::string why) {
    out.ends = std::move(why);
    return std::move(out);
  };
  domain::Lead lead = input.lead;
  std::optional<domain::Call> call = input.call;
  std::vector<util::Millis> contacts = input.contacts;
  // A call under way without a result takes the first given outcome.
  const bool ringing = call && !call->outcome && lead.call_id == call->id;
  const std::int64_t known_calls = lead.call_count - (ringing ? 1 : 0);
  lead.variables["sim_outcomes"] = sim_outcomes_for(known_calls, input.outcomes);
  const std::int64_t last_given_call = known_calls + std::int64_t(input.outcomes.size());

  if (domain::is_terminal(lead.status)) return stop("not_running");
  util::Millis at = input.now;
  size_t next_event = 0;
  for (int i = 0; i < kMaxProjectedSteps; ++i) {
    // An assumed event that comes before the lead's next step is applied first, as
    // POST /v1/events would: it may end the lead or wake it.
    const bool scheduled = lead.status == domain::LeadStatus::kPending || lead.next_action_at;
    const util::Millis step_at = lead.status == domain::LeadStatus::kPending
                                     ? at
                                     : std::max(at, lead.next_action_at.value_or(at));
    if (next_event < input.events.size() &&
        (!scheduled || input.events[next_event].at <= step_at)) {
      const auto& assumed = input.events[next_event++];
      at = std::max(at, assumed.at);
      domain::InboundEvent event;
      event.type = assumed.type;
      event.created_at = at;
      const domain::Node* node =
          lead.current_node_id ? workflow.index.node(*lead.current_node_id) : nullptr;
      auto applied = domain::apply_event(lead, event, workflow.settings, node, at);
      for (auto& entry : applied.history) out.steps.push_back({at, std::move(entry), false});
      if (applied.effect == domain::EventEffect::kExited) return stop("exited");
      continue;
    }
    if (lead.status != domain::LeadStatus::kPending) {
      if (lead.stalled) return stop("stalled");
      if (!lead.next_action_at) return stop("not_running");
      at = std::max(at, *lead.next_action_at);
    }
    if (at - input.now > kHorizon) break;
    store::DueLead due{lead, domain::WorkflowStatus::kActive, workflow.version, call};
    if (input.suppression && domain::suppresses(*input.suppression, lead, at))
      due.suppression = input.suppression;
    due.org_settings = input.org_settings;
    due.contacts = contacts;
    due.contacts_read = true;
    store::StepWrites writes;
    std::vector<HttpJob> jobs;
    executor.step(due, workflow, at, writes, jobs);
    lead = writes.leads.back();
    for (auto& finished : writes.finished_calls) call = finished;
    for (auto& entry : writes.history) out.steps.push_back({at, std::move(entry), false});
    for (auto& placed : writes.new_calls) {
      domain::HistoryEntry entry;
      entry.node_id = placed.node_id;
      entry.status = "call_placed";
      entry.call_id = placed.id;
      entry.attempt = placed.attempt;
      entry.started_at = at;
      if (const domain::Node* node = workflow.index.node(placed.node_id)) {
        entry.node_type = std::string(domain::to_string(node->type));
        entry.label = node->label;
      }
      out.steps.push_back({at, std::move(entry), true});
      contacts.push_back(placed.created_at);
      call = std::move(placed);
      if (lead.call_count > last_given_call) return stop("needs_outcome");
    }
    if (!jobs.empty()) return stop("http");
    if (lead.status != domain::LeadStatus::kActive)
      return stop(std::string(domain::to_string(lead.status)));
    if (lead.stalled) return stop("stalled");
  }
  return stop("horizon");
}

}  // namespace leadline::engine
