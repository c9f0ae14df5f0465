#include "engine/executor.h"

#include <algorithm>

#include "domain/call_policy.h"
#include "domain/callback_time.h"
#include "domain/conditions.h"
#include "domain/edge_choice.h"
#include "domain/eligibility.h"
#include "domain/event.h"
#include "domain/flow_nodes.h"
#include "domain/inbound_event.h"
#include "domain/lead_timezone.h"
#include "domain/template.h"
#include "util/ids.h"

namespace leadline::engine {
namespace {
using domain::EventType;
using domain::HistoryEntry;
using domain::Lead;
using domain::LeadStatus;
using domain::Node;
using domain::NodeType;
using domain::WaitKind;

constexpr util::Millis kHttpLeaseSlackMillis = 60'000;

// What running a node produced.
struct NodeResult {
  enum Kind { kWait, kOutcome, kEnd } kind = kWait;
  std::string outcome;
  std::optional<std::string> reason;
};

std::string as_variable(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number()) return Json(value).dump();
  return value.dump();
}

// One lead's step; holds the references so helpers stay short.
class LeadStep {
 public:
  LeadStep(store::DueLead& due, const CompiledWorkflow& workflow, util::Millis now,
           store::StepWrites& writes, std::vector<HttpJob>& jobs,
           const providers::CallSimulator& simulator, const CallPlacement& placement)
      : due_(due),
        lead_(due.lead),  // a copy: `due.lead` stays as stored, for Executor::fail_lead
        wf_(workflow),
        now_(now),
        writes_(writes),
        jobs_(jobs),
        simulator_(simulator),
        placement_(placement) {}

  void run() {
    lead_.updated_at = now_;
    const bool active = due_.workflow_status == domain::WorkflowStatus::kActive;
    if (lead_.wait_kind == WaitKind::kCall || lead_.wait_kind == WaitKind::kCallDetached) {
      if (!finish_call()) return save();  // still with the provider: wait on
      if (due_.call && due_.call->outcome) emit_call_event(*due_.call);
      if (lead_.wait_kind == WaitKind::kCallDetached || !active ||
          domain::is_terminal(lead_.status)) {
        // Recorded, but the lead does not move: it runs its node (and so consumes the call)
        // when its workflow is active again.
        lead_.wait_kind = WaitKind::kNone;
        lead_.next_action_at =
            lead_.status == LeadStatus::kActive ? std::optional(now_) : std::nullopt;
        return save();
      }
      lead_.wait_kind = WaitKind::kNone;
    }
    if (!active || domain::is_terminal(lead_.status)) return save_unscheduled();
    delay_over_ = lead_.wait_kind == WaitKind::kDelay;
    waited_for_event_ = lead_.wait_kind == WaitKind::kEvent;
    lead_.wait_kind = WaitKind::kNone;

    if (lead_.status == LeadStatus::kPending) {
      const Node* entry = wf_.index.entry();
      if (!entry) {
        stall_without_node("the workflow has no single entry node");
        return save();
      }
      lead_.status = LeadStatus::kActive;
      enter(entry->id);
    } else if (lead_.stalled) {
      if (!retry_stalled()) return save_unscheduled();
    }
    advance();
    save();
  }

  // The node the lead stands on (while the step runs: the one it reached).
  const std::optional<std::string>& node_id() const { return lead_.current_node_id; }

 private:
  void advance() {
    for (int hop = 0; hop < Executor::kMaxHops; ++hop) {
      const Node* node = lead_.current_node_id ? wf_.index.node(*lead_.current_node_id) : nullptr;
      if (!node) return stall_without_node("its node was deleted from the workflow");
      NodeResult result = run_node(*node);
      if (result.kind != NodeResult::kOutcome) return;
      if (!follow_edge(*node, result.outcome, result.reason)) return;
    }
    fail("more than " + std::to_string(Executor::kMaxHops) +
         " instant nodes in one step (a loop without a waiting node)");
  }

  NodeResult run_node(const Node& node) {
    switch (node.type) {
      case NodeType::kVoiceCall:
        return run_voice_call(node);
      case NodeType::kTime:
        return run_delay(node);
      case NodeType::kConditional:
        return {NodeResult::kOutcome, evaluate_condition(node), std::nullopt};
      case NodeType::kApplication:
        return run_application(node);
      case NodeType::kWebhook:
        return run_http(node, node.config);
      case NodeType::kSms:
        if (const auto* entry = blocking_entry()) return drop_suppressed(node, *entry);
        if (!window_open(node)) return {};
        return {NodeResult::kOutcome, "failure", "no SMS provider is configured"};
      case NodeType::kWaitForEvent:
        return run_wait_for_event(node);
      case NodeType::kSplit:
        return run_split(node);
      case NodeType::kConverted:
        return finish(node, LeadStatus::kCompleted);
      case NodeType::kDropped:
        return finish(node, LeadStatus::kDropped);
    }
    return {};
  }

  NodeResult run_voice_call(const Node& node) {
    const auto& config = wf_.voice_calls.at(node.id);
    const bool call_done = lead_.call_id && due_.call && due_.call->id == *lead_.call_id &&
                           due_.call->outcome && due_.call->node_id == node.id;
    if (!call_done) {
      if (const auto* entry = blocking_entry()) return drop_suppressed(node, *entry);
      if (wf_.required_consent)
        if (auto shortfall = domain::consent_shortfall(lead_.consent, *wf_.required_consent))
          return drop_by_rule(node, "consent", *shortfall, {});
      if (window_open(node) && cap_allows(node)) place_call(node, config);
      return {};
    }
    const domain::Call& call = *due_.call;
    // The dispatcher found the number listed after the call was queued: it never left.
    if (call.end_reason == domain::kSuppressedEndReason)
      if (const auto* entry = blocking_entry()) return drop_suppressed(node, *entry);
    const std::string outcome = *call.outcome;
    lead_.context["last_call"] = {{"id", call.id},
                                  {"status", call.status},
                                  {"outcome", outcome},
                                  {"end_reason", call.end_reason.value_or("")},
                                  {"duration_seconds", call.duration_seconds.value_or(0)},
                                  {"postcall_analysis", call.postcall_analysis}};
    last_call_id_ = call.id;
    const bool retry =
        lead_.attempt < config.max_attempts &&
        std::find(config.retry_on.begin(), config.retry_on.end(), outcome) != config.retry_on.end();
    if (!retry) return {NodeResult::kOutcome, outcome, std::nullopt};
    history(node, "retrying", outcome, std::nullopt, std::nullopt,
            "attempt " + std::to_string(lead_.attempt) + " of " +
                std::to_string(config.max_attempts) + " ended " + outcome + "; retrying");
    lead_.entered_at = now_;
    lead_.call_id.reset();
    wait(WaitKind::kDelay, now_ + static_cast<util::Millis>(config.retry_delay_minutes * 60'000.0));
    return {};
  }

  void place_call(const Node& node, const domain::VoiceCallConfig& config) {
    domain::Call call;
    call.attempt = ++lead_.attempt;
    call.id = util::new_id("call");
    call.org_id = lead_.org_id;
    call.workflow_id = lead_.workflow_id;
    call.lead_id = lead_.id;
    call.node_id = node.id;
    call.to_phone_number = lead_.phone_number;
    call.from_phone_number = config.from_phone_number;
    call.agent_id = config.agent_id;
    call.agent_version_number = config.agent_version_number;
    call.created_at = now_;
    if (placement_.external) {
      call.status = "queued";  // the CallDispatcher sends it after this batch commits
      call.next_dispatch_at = now_;
    } else {
      call.status = "initiated";
    }
    lead_.call_id = call.id;
    ++lead_.call_count;
    writes_.new_calls.push_back(std::move(call));
    wait(WaitKind::kCall,
         now_ + (placement_.external ? placement_.timeout_millis : simulator_.call_millis()));
  }

  // True when the awaited call has its result (now on due_.call): the simulator decides it
  // when its time is up; a provider's report is already on the row, and a provider that
  // stays silent past the timeout makes it FAILED. False: the lead waits on.
  bool finish_call() {
    if (!due_.call || due_.call->outcome) return true;
    domain::Call& call = *due_.call;
    if (placement_.external) {
      if (call.status == "queued" || !call.dispatched_at) {
        // Not accepted by the provider yet (retrying, capped, or its workflow is paused):
        // the timeout runs from acceptance.
        lead_.next_action_at = now_ + placement_.timeout_millis;
        return false;
      }
      const util::Millis deadline = *call.dispatched_at + placement_.timeout_millis;
      if (now_ < deadline) {
        lead_.next_action_at = deadline;
        return false;
      }
      call.status = "failed";
      call.outcome = "FAILED";
      call.end_reason = "timeout";
      call.ended_at = now_;
      writes_.finished_calls.push_back(call);
      return true;
    }
    auto sim = simulator_.simulate(lead_, lead_.call_count - 1);
    call.status = domain::call_status_for_outcome(sim.outcome);
    call.outcome = sim.outcome;
    call.end_reason = sim.end_reason;
    call.duration_seconds = sim.duration_seconds;
    call.postcall_analysis = sim.postcall_analysis;
    if (!sim.transcript.empty()) call.transcript = sim.transcript;
    call.ended_at = now_;
    writes_.finished_calls.push_back(call);
    // Recorded here, so its opt-out is added in the same transaction (a provider's report
    // adds it in record_call_report).
    const auto rule = domain::applicable_opt_out_rule(wf_.settings, due_.organization_settings());
    if (domain::asked_not_to_be_called(rule, call.postcall_analysis, call.end_reason))
      writes_.suppressions.push_back(domain::opt_out_entry(call, now_));
    return true;
  }

  NodeResult run_delay(const Node& node) {
    if (delay_over_) {
      delay_over_ = false;
      return {NodeResult::kOutcome, "", std::nullopt};
    }
    const auto& config = wf_.delays.at(node.id);
    if (config.fixed_delay_ms) {
      wait(WaitKind::kDelay, now_ + *config.fixed_delay_ms);
      return {};
    }
    wait_for_callback(node, config);
    return {};
  }

  // TIME in postcall_analysis mode: until the time the lead asked to be called back, read
  // in its zone, or fallback_minutes when the analysis has no readable time.
  void wait_for_callback(const Node& node, const domain::TimeConfig& config) {
    const std::string field = config.pca_field.value_or("");
    const Json* value = nullptr;
    if (auto call = lead_.context.find("last_call"); call != lead_.context.end()) {
      if (auto analysis = call->find("postcall_analysis");
          analysis != call->end() && analysis->is_object()) {
        if (auto it = analysis->find(field); it != analysis->end() && it->is_string()) value = &*it;
      }
    }
    const auto& zone = lead_zone().zone;
    std::optional<util::Millis> until;
    if (value) until = domain::parse_callback_time(value->get<std::string>(), now_, zone);
    std::string reason;
    if (until) {
      reason = "callback time \"" + value->get<std::string>() + "\" is " + zone.format(*until) +
               " (" + zone.name() + ")";
    } else {
      until = now_ + static_cast<util::Millis>(config.fallback_minutes.value_or(0) * 60'000.0);
      reason = (value ? "callback time \"" + value->get<std::string>() + "\" is unreadable"
                      : "the latest call analysis has no " + field) +
               "; waiting fallback_minutes until " + zone.format(*until);
    }
    history(node, "waiting", std::nullopt, std::nullopt, std::nullopt, reason);
    wait(WaitKind::kDelay, *until);
  }

  // WAIT_FOR_EVENT: leaves by the edge of the first awaited event that came after the lead
  // entered (POST /v1/events makes it due), or by "timeout" when the timeout passes first.
  NodeResult run_wait_for_event(const Node& node) {
    const auto& config = wf_.event_waits.at(node.id);
    const util::Millis deadline = lead_.entered_at.value_or(now_) + config.timeout_ms;
    if (!waited_for_event_) {
      // Just entered: only events from now on count.
      lead_.context["event_wait_from"] = domain::latest_event_seq(lead_);
    } else {
      waited_for_event_ = false;
      const std::int64_t from = lead_.context.value("event_wait_from", std::int64_t{0});
      if (auto type = domain::event_after(lead_, config.event_types, from)) {
        lead_.context.erase("event_wait_from");
        return {NodeResult::kOutcome, *type, "event " + *type + " received"};
      }
      if (now_ >= deadline) {
        lead_.context.erase("event_wait_from");
        return {NodeResult::kOutcome, std::string(domain::kEventTimeout),
                "no awaited event within the timeout"};
      }
    }
    wait(WaitKind::kEvent, deadline);
    return {};
  }

  // SPLIT: the variant the lead's id picks by weight, the same on every run.
  NodeResult run_split(const Node& node) {
    const auto* variant = domain::pick_variant(wf_.splits.at(node.id), lead_.id, node.id);
    if (!variant) return {NodeResult::kOutcome, "", "the split has no variant"};
    return {NodeResult::kOutcome, variant->label, std::nullopt};
  }

  // True when the node's calling window, and the lawful hours of the number's state when a
  // state rule applies, are open now in the lead's zone; otherwise the lead waits for the
  // next moment both are and the history says so.
  bool window_open(const Node& node) {
    auto it = wf_.windows.find(node.id);
    const domain::CallingWindow* window =
        it != wf_.windows.end() && it->second ? &*it->second : nullptr;
    const domain::StateRule* state = domain::applicable_state_rule(
        wf_.settings, due_.organization_settings(), lead_.phone_number);
    if (!window && !state) return true;
    const auto& lead_zone_info = lead_zone();
    const auto opening = domain::next_opening_in_both(window, state ? &state->hours : nullptr,
                                                      lead_zone_info.zone, now_);
    if (opening == now_) return true;
    const std::string hours = domain::describe_hours(window, state);
    if (!opening) {
      fail("its calling hours (" + hours + ") do not open in the next 400 days");
      return false;
    }
    history(node, "waiting", std::nullopt, std::nullopt, std::nullopt,
            "outside " + hours + " in " + lead_zone_info.zone.name() + " (from " +
                lead_zone_info.source + "); waiting until " + lead_zone_info.zone.format(*opening));
    wait(WaitKind::kWindow, *opening);
    return false;
  }

  // True when every contact cap on the lead's number (organization or workflow, and its
  // state's) has room for one more call now, counting the calls read with the batch and those
  // this batch placed (both in due_.contacts); otherwise the lead waits until the cap that
  // holds longest has room.
  bool cap_allows(const Node& node) {
    const auto caps = domain::applicable_contact_caps(wf_.settings, due_.organization_settings(),
                                                      lead_.phone_number);
    if (caps.empty()) return true;
    // The scheduler judged this step would place no call (CompiledWorkflow::may_place_call)
    // and read no calls: count them in the next batch rather than guess.
    if (!due_.contacts_read) {
      wait(WaitKind::kContactCap, now_);
      return false;
    }
    const auto held = domain::cap_wait(caps, due_.contacts, now_);
    if (!held) return true;
    history(node, "waiting", std::nullopt, std::nullopt, std::nullopt,
            domain::cap_wait_reason(*held, lead_zone().zone));
    wait(WaitKind::kContactCap, held->until);
    return false;
  }

  const domain::LeadTimezone& lead_zone() {
    if (!zone_)
      zone_ = domain::resolve_lead_timezone(lead_.variables, lead_.phone_number, wf_.settings);
    return *zone_;
  }

  std::string evaluate_condition(const Node& node) {
    domain::ConditionContext context;
    auto last_call = lead_.context.find("last_call");
    if (last_call != lead_.context.end()) context.latest_call = &*last_call;
    auto app = lead_.context.find("app");
    if (app != lead_.context.end()) context.app_result = &*app;
    context.variables = &lead_.variables;
    context.call_attempts = lead_.call_count;
    auto events = lead_.context.find("events");
    if (events != lead_.context.end()) context.events = &*events;
    return domain::evaluate_conditional(node.config, context);
  }

  NodeResult run_application(const Node& node) {
    const std::string provider = node.config.value("provider_key", "");
    const std::string action = node.config.value("action_key", "");
    const Json action_config = node.config.value("action_config", Json::object());
    if (provider == "leadline" && action == "set_variables") {
      const Json variables = action_config.value("variables", Json::object());
      lead_.variables_changed = true;
      zone_.reset();  // a "timezone" variable may have changed
      for (const auto& [key, value] : variables.items())
        if (!value.is_null())
          lead_.variables[key] = domain::render_template(as_variable(value), lead_.variables);
      lead_.context["app"] = {{"status", "success"}, {"response", Json::object()}};
      return {NodeResult::kOutcome, "success", std::nullopt};
    }
    if (provider == "http" && action == "request") return run_http(node, action_config);
    lead_.context["app"] = {{"status", "failure"}, {"response", Json::object()}};
    return {NodeResult::kOutcome, "failure",
            "action provider '" + provider + "' is not configured on this server"};
  }

  // WEBHOOK nodes and http.request actions: the request runs after the batch commits; its
  // answer lands in context.action_result and makes the lead due again.
  NodeResult run_http(const Node& node, const Json& request) {
    auto result = lead_.context.find("action_result");
    if (result != lead_.context.end() && result->value("node_id", "") == node.id) {
      Json answer = *result;
      lead_.context.erase("action_result");
      const std::string status = answer.value("status", "failure");
      lead_.context["app"] = {{"status", status},
                              {"status_code", answer.value("status_code", 0)},
                              {"response", answer.value("response", Json(nullptr))}};
      std::optional<std::string> reason;
      if (status != "success") reason = answer.value("error", "request failed");
      return {NodeResult::kOutcome, status, reason};
    }
    const std::string url = request.value("url", "");
    if (domain::url_template_has_variable_host(url) &&
        request.value("allow_variable_host", Json(false)) != Json(true)) {
      // Saved before the rule existed: lead variables must not choose the target.
      lead_.context["app"] = {{"status", "failure"}, {"response", Json::object()}};
      return {NodeResult::kOutcome, "failure",
              "url has a placeholder in its host and allow_variable_host is not set"};
    }
    HttpJob job;
    job.org_id = lead_.org_id;
    job.lead_id = lead_.id;
    job.node_id = node.id;
    // Each value is encoded for where it lands, so it fills a field and never adds structure.
    job.url = domain::render_url_template(url, lead_.variables);
    job.method = request.value("method", "POST");
    job.headers = request.value("headers", Json::object());
    for (auto& [name, value] : job.headers.items())
      if (value.is_string())
        value = domain::render_header_template(value.get<std::string>(), lead_.variables);
    if (auto body = request.find("body"); body != request.end() && !body->is_null())
      job.body = render_body(*body);
    job.timeout_ms = request.value("timeout_ms", std::int64_t{10'000});
    jobs_.push_back(job);
    // If the process dies before the answer is recorded, the lead comes due again and the
    // request is sent again (at least once).
    wait(WaitKind::kHttp, now_ + job.timeout_ms + kHttpLeaseSlackMillis);
    return {};
  }

  // A JSON body (an object, or a string that reads as one) gets JSON-escaped values; any other
  // text is filled in as it is.
  std::string render_body(const Json& body) const {
    if (!body.is_string()) return domain::render_json_template(body.dump(), lead_.variables);
    const auto& text = body.get_ref<const std::string&>();
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && (text[first] == '{' || text[first] == '['))
      return domain::render_json_template(text, lead_.variables);
    return domain::render_template(text, lead_.variables);
  }

  NodeResult finish(const Node& node, LeadStatus status) {
    history(node, "completed", std::nullopt, std::nullopt, std::nullopt, std::nullopt);
    lead_.status = status;
    lead_.wait_kind = WaitKind::kNone;
    lead_.next_action_at.reset();
    emit(status == LeadStatus::kCompleted ? EventType::kLeadCompleted : EventType::kLeadDropped,
         &node);
    return {NodeResult::kEnd, "", std::nullopt};
  }

  // The entry that stops calls and texts to the lead now: read with the batch, or added by
  // an opt-out earlier in this batch (this lead's or another's with the same number).
  const domain::Suppression* blocking_entry() const {
    if (due_.suppression) return &*due_.suppression;
    for (const auto& entry : writes_.suppressions)
      if (domain::suppresses(entry, lead_, now_)) return &entry;
    return nullptr;
  }

  // A call or text came due for a number on the do-not-call list: the lead ends dropped,
  // and its history and event name the entry.
  NodeResult drop_suppressed(const Node& node, const domain::Suppression& entry) {
    lead_.context["suppression_id"] = entry.id;
    return drop_by_rule(node, "suppressed", domain::suppression_reason(entry),
                        {{"suppression_id", entry.id}});
  }

  // A compliance rule forbids the call or text that came due: the lead ends dropped with
  // `drop_reason`, its history says why, and workflow.lead.dropped carries both.
  NodeResult drop_by_rule(const Node& node, const std::string& drop_reason, const std::string& why,
                          Json extra) {
    history(node, "dropped", std::nullopt, std::nullopt, std::nullopt, why);
    lead_.status = LeadStatus::kDropped;
    lead_.wait_kind = WaitKind::kNone;
    lead_.next_action_at.reset();
    lead_.context["drop_reason"] = drop_reason;
    extra["drop_reason"] = drop_reason;
    extra["reason"] = why;
    emit(EventType::kLeadDropped, &node, std::move(extra));
    return {NodeResult::kEnd, "", std::nullopt};
  }

  // Leaves `node` along the edge its outcome picks; false (and a stall) when none applies.
  bool follow_edge(const Node& node, const std::string& outcome,
                   const std::optional<std::string>& reason) {
    const domain::Edge* edge = domain::choose_edge(node.type, outcome, wf_.index.outgoing(node.id));
    std::optional<std::string> shown_outcome;
    if (!outcome.empty()) shown_outcome = outcome;
    if (!edge) {
      lead_.context["stalled_outcome"] = outcome;
      history(node, "stalled", shown_outcome, std::nullopt, std::nullopt,
              "no edge for outcome " + (outcome.empty() ? std::string("(none)") : outcome) +
                  (reason ? "; " + *reason : ""));
      lead_.stalled = true;
      lead_.next_action_at.reset();
      emit(EventType::kLeadStalled, &node,
           {{"outcome", shown_outcome ? Json(*shown_outcome) : Json(nullptr)},
            {"reason", "no edge for outcome"}});
      return false;
    }
    history(node, "completed", shown_outcome, edge->label, edge->to_node_id, reason);
    enter(edge->to_node_id);
    return true;
  }

  // A stalled lead woken by a graph edit: follow an edge for its recorded outcome if one
  // applies now; otherwise it stays stalled without a new history entry.
  bool retry_stalled() {
    const Node* node = lead_.current_node_id ? wf_.index.node(*lead_.current_node_id) : nullptr;
    if (!node) return false;
    const std::string outcome = lead_.context.value("stalled_outcome", "");
    const domain::Edge* edge =
        domain::choose_edge(node->type, outcome, wf_.index.outgoing(node->id));
    if (!edge) return false;
    lead_.stalled = false;
    lead_.context.erase("stalled_outcome");
    std::optional<std::string> shown;
    if (!outcome.empty()) shown = outcome;
    history(*node, "completed", shown, edge->label, edge->to_node_id,
            "moved on after a graph edit");
    enter(edge->to_node_id);
    return true;
  }

  void enter(const std::string& node_id) {
    lead_.current_node_id = node_id;
    lead_.entered_at = now_;
    lead_.attempt = 0;
    lead_.call_id.reset();
    lead_.stalled = false;
    lead_.wait_kind = WaitKind::kNone;
    last_call_id_.reset();
    if (wants(EventType::kLeadNodeEntered))
      emit(EventType::kLeadNodeEntered, wf_.index.node(node_id));
  }

  void wait(WaitKind kind, util::Millis until) {
    lead_.wait_kind = kind;
    lead_.next_action_at = until;
  }

  void stall_without_node(const std::string& reason) {
    lead_.stalled = true;
    lead_.next_action_at.reset();
    lead_.context["stall_reason"] = reason;
    emit(EventType::kLeadStalled, nullptr, {{"outcome", nullptr}, {"reason", reason}});
  }

  void fail(const std::string& reason) {
    const Node* node = lead_.current_node_id ? wf_.index.node(*lead_.current_node_id) : nullptr;
    if (node) history(*node, "failed", std::nullopt, std::nullopt, std::nullopt, reason);
    lead_.status = LeadStatus::kFailed;
    lead_.next_action_at.reset();
    emit(EventType::kLeadFailed, node, {{"reason", reason}});
  }

  // Webhook events are built only when some webhook of the lead's organization wants them
  // (DueLead::webhook_events), so a server without webhooks pays one bit test per event.
  bool wants(EventType type) const { return (due_.webhook_events & domain::event_bit(type)) != 0; }
  void emit(EventType type, const Node* node, Json extra = Json::object()) {
    if (!wants(type)) return;
    writes_.events.push_back(
        domain::lead_event(type, lead_, wf_.settings, node, now_, std::move(extra)));
  }
  void emit_call_event(const domain::Call& call) {
    const auto type = domain::call_event_type(*call.outcome);
    if (!type || !wants(*type)) return;
    writes_.events.push_back(domain::call_event(*type, lead_, wf_.settings, call, now_));
  }

  void history(const Node& node, std::string status, std::optional<std::string> outcome,
               std::optional<std::string> edge_label, std::optional<std::string> to_node,
               std::optional<std::string> reason) {
    HistoryEntry h;
    h.lead_id = lead_.id;
    h.workflow_id = lead_.workflow_id;
    h.node_id = node.id;
    h.node_type = std::string(to_string(node.type));
    h.label = node.label;
    h.status = std::move(status);
    h.outcome = std::move(outcome);
    h.edge_label = std::move(edge_label);
    h.to_node_id = std::move(to_node);
    if (node.type == NodeType::kVoiceCall) {
      h.call_id = last_call_id_;
      h.attempt = lead_.attempt;
    }
    h.started_at = lead_.entered_at.value_or(now_);
    h.ended_at = now_;
    h.reason = std::move(reason);
    writes_.history.push_back(std::move(h));
  }

  void save_unscheduled() {
    lead_.next_action_at.reset();
    save();
  }
  void save() {  // the step's last act
    lead_.context_unchanged = lead_.context == due_.lead.context;
    writes_.leads.push_back(std::move(lead_));
  }

  store::DueLead& due_;
  Lead lead_;
  const CompiledWorkflow& wf_;
  const util::Millis now_;
  store::StepWrites& writes_;
  std::vector<HttpJob>& jobs_;
  const providers::CallSimulator& simulator_;
  const CallPlacement& placement_;
  bool delay_over_ = false;
  bool waited_for_event_ = false;  // the step began in a WAIT_FOR_EVENT wait
  std::optional<std::string> last_call_id_;
  std::optional<domain::LeadTimezone> zone_;
};
}  // namespace

void Executor::step(store::DueLead& due, const CompiledWorkflow& workflow, util::Millis now,
                    store::StepWrites& writes, std::vector<HttpJob>& jobs) const {
  // What this lead had added when a step throws, so its partial writes can be taken back.
  const std::size_t leads = writes.leads.size(), history = writes.history.size(),
                    new_calls = writes.new_calls.size(),
                    finished_calls = writes.finished_calls.size(), events = writes.events.size(),
                    suppressions = writes.suppressions.size(), http_jobs = jobs.size();
  LeadStep lead_step(due, workflow, now, writes, jobs, simulator_, placement_);
  try {
    lead_step.run();
  } catch (const std::exception& e) {
    writes.leads.resize(leads);
    writes.history.resize(history);
    writes.new_calls.resize(new_calls);
    writes.finished_calls.resize(finished_calls);
    writes.events.resize(events);
    writes.suppressions.resize(suppressions);
    jobs.resize(http_jobs);
    fail_lead(due, workflow, lead_step.node_id(), now, std::string("internal error: ") + e.what(),
              writes);
  }
}

void Executor::fail_lead(const store::DueLead& due, const CompiledWorkflow& workflow,
                         const std::optional<std::string>& node_id, util::Millis now,
                         const std::string& reason, store::StepWrites& writes) {
  Lead lead = due.lead;
  if (node_id && node_id != lead.current_node_id) {
    lead.current_node_id = node_id;
    lead.entered_at = now;
  }
  const Node* node = lead.current_node_id ? workflow.index.node(*lead.current_node_id) : nullptr;
  HistoryEntry h;
  h.lead_id = lead.id;
  h.workflow_id = lead.workflow_id;
  h.node_id = node ? node->id : lead.current_node_id.value_or("");
  h.node_type = node ? std::string(to_string(node->type)) : "";
  h.label = node ? node->label : "";
  h.status = "failed";
  h.started_at = lead.entered_at.value_or(now);
  h.ended_at = now;
  h.reason = reason;
  writes.history.push_back(std::move(h));
  lead.status = LeadStatus::kFailed;
  lead.wait_kind = WaitKind::kNone;
  lead.next_action_at.reset();
  lead.updated_at = now;
  if ((due.webhook_events & domain::event_bit(EventType::kLeadFailed)) != 0) {
    writes.events.push_back(domain::lead_event(EventType::kLeadFailed, lead, workflow.settings,
                                               node, now, {{"reason", reason}}));
  }
  writes.leads.push_back(std::move(lead));
}

}  // namespace leadline::engine
