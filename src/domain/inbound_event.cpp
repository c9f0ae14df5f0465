#include "domain/inbound_event.h"

#include "domain/flow_nodes.h"
#include "domain/text.h"

namespace leadline::domain {
namespace {
constexpr size_t kMaxExitRules = 50;

// The context keeps the latest event of at most this many types per lead (its count and
// data, for conditions and waits): a lead's row must not grow without bound, whatever
// clients send. The type seen longest ago makes room for a new one.
constexpr size_t kMaxTrackedEventTypes = 32;

void forget_oldest_type_if_full(Json& events, const std::string& type) {
  if (events.size() < kMaxTrackedEventTypes || events.contains(type)) return;
  auto oldest = events.end();
  std::int64_t oldest_seq = 0;
  for (auto it = events.begin(); it != events.end(); ++it) {
    const std::int64_t seq = it->is_object() ? it->value("seq", std::int64_t{0}) : 0;
    if (oldest == events.end() || seq < oldest_seq) {
      oldest = it;
      oldest_seq = seq;
    }
  }
  if (oldest != events.end()) events.erase(oldest);
}

HistoryEntry history_row(const Lead& lead, const Node* node, util::Millis now) {
  HistoryEntry h;
  h.lead_id = lead.id;
  h.workflow_id = lead.workflow_id;
  h.node_id = node ? node->id : lead.current_node_id.value_or("");
  h.node_type = node ? std::string(to_string(node->type)) : "";
  h.label = node ? node->label : "";
  h.started_at = now;
  h.ended_at = now;
  return h;
}
}  // namespace

std::string_view to_string(EventEffect effect) {
  switch (effect) {
    case EventEffect::kResumed:
      return "resumed";
    case EventEffect::kExited:
      return "exited";
    case EventEffect::kRecorded:
      break;
  }
  return "recorded";
}

EventEffect event_effect_from_string(std::string_view text) {
  if (text == "exited") return EventEffect::kExited;
  if (text == "resumed") return EventEffect::kResumed;
  return EventEffect::kRecorded;
}

void check_exit_rules(const Json& rules, ConfigProblems& problems) {
  if (rules.is_null()) return;
  if (!rules.is_array() || rules.size() > kMaxExitRules) {
    problems.add("exit_rules", "must be a list of at most 50 {\"event\", \"status\"} rules");
    return;
  }
  for (size_t i = 0; i < rules.size(); ++i) {
    const Json& rule = rules[i];
    const std::string path = "exit_rules[" + std::to_string(i) + "]";
    if (!rule.is_object()) {
      problems.add(path, "must be an object with event and status");
      continue;
    }
    const Json* event = config_field(rule, "event");
    if (event == nullptr || !event->is_string() ||
        !is_event_type_name(event->get_ref<const std::string&>()))
      problems.add(path + ".event",
                   "must be an event type name (1 to 64 letters, digits, _ . : -)");
    const Json* status = config_field(rule, "status");
    if (status == nullptr || !status->is_string() ||
        (*status != "completed" && *status != "dropped"))
      problems.add(path + ".status", "must be \"completed\" or \"dropped\"");
  }
}

std::optional<ExitRule> matching_exit_rule(const Json& workflow_settings, std::string_view type) {
  if (!workflow_settings.is_object()) return std::nullopt;
  const auto rules = workflow_settings.find("exit_rules");
  if (rules == workflow_settings.end() || !rules->is_array()) return std::nullopt;
  for (const Json& rule : *rules) {
    if (!rule.is_object()) continue;
    const auto event = rule.find("event");
    if (event == rule.end() || !event->is_string() ||
        !iequals(event->get_ref<const std::string&>(), type))
      continue;
    const std::string status = rule.value("status", "");
    if (status == "completed") return ExitRule{std::string(type), LeadStatus::kCompleted};
    if (status == "dropped") return ExitRule{std::string(type), LeadStatus::kDropped};
  }
  return std::nullopt;
}

EventApplied apply_event(Lead& lead, const InboundEvent& event, const Json& workflow_settings,
                         const Node* node, util::Millis now,
                         std::optional<util::Millis> paused_at) {
  EventApplied applied;
  if (!lead.context.is_object()) lead.context = Json::object();
  const std::int64_t seq = latest_event_seq(lead) + 1;
  lead.context["event_seq"] = seq;
  Json& events = lead.context["events"];
  if (!events.is_object()) events = Json::object();
  forget_oldest_type_if_full(events, event.type);
  Json& counted = events[event.type];
  if (!counted.is_object()) counted = Json::object();
  counted["count"] = counted.value("count", std::int64_t{0}) + 1;
  counted["data"] = event.data;
  counted["seq"] = seq;
  lead.updated_at = now;

  HistoryEntry received = history_row(lead, node, now);
  received.status = "event";
  received.outcome = event.type;
  received.reason = "event " + event.type + " received";
  applied.history.push_back(std::move(received));
  if (is_terminal(lead.status)) return applied;

  if (auto rule = matching_exit_rule(workflow_settings, event.type)) {
    HistoryEntry exited = history_row(lead, node, now);
    exited.status = "exited";
    exited.outcome = event.type;
    exited.started_at = lead.entered_at.value_or(now);
    exited.reason = "exit rule: event " + event.type + " ends the lead as " +
                    std::string(to_string(rule->status));
    applied.history.push_back(std::move(exited));
    lead.status = rule->status;
    lead.stalled = false;
    if (lead.wait_kind == WaitKind::kCall || lead.wait_kind == WaitKind::kCallDetached) {
      // The call is recorded when it ends; the lead does not move on.
      lead.wait_kind = WaitKind::kCallDetached;
    } else {
      lead.wait_kind = WaitKind::kNone;
      lead.next_action_at.reset();
    }
    lead.context["exit_event"] = event.type;
    if (rule->status == LeadStatus::kDropped) lead.context["drop_reason"] = "exit_rule";
    applied.effect = EventEffect::kExited;
    return applied;
  }
  if (lead.status == LeadStatus::kActive && lead.wait_kind == WaitKind::kEvent) {
    lead.next_action_at = paused_at.value_or(now);
    applied.effect = EventEffect::kResumed;
  }
  return applied;
}

std::int64_t latest_event_seq(const Lead& lead) {
  if (!lead.context.is_object()) return 0;
  const auto seq = lead.context.find("event_seq");
  return seq != lead.context.end() && seq->is_number_integer() ? seq->get<std::int64_t>() : 0;
}

std::optional<std::string> event_after(const Lead& lead, const std::vector<std::string>& types,
                                       std::int64_t after) {
  if (!lead.context.is_object()) return std::nullopt;
  const auto events = lead.context.find("events");
  if (events == lead.context.end() || !events->is_object()) return std::nullopt;
  std::optional<std::string> first;
  std::int64_t first_seq = 0;
  for (const auto& [name, counted] : events->items()) {
    if (!counted.is_object()) continue;
    const std::int64_t seq = counted.value("seq", std::int64_t{0});
    if (seq <= after || (first && seq >= first_seq)) continue;
    for (const auto& type : types)
      if (iequals(type, name)) {
        first = type;  // as the node spells it: its edge's label
        first_seq = seq;
      }
  }
  return first;
}

}  // namespace leadline::domain
