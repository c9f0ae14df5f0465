#include "domain/call_report.h"

#include <algorithm>
#include <array>

namespace leadline::domain {
namespace {

// Lower case, with '-', '.' and ' ' as '_': "User-Did-Not-Pick-Up" -> "user_did_not_pick_up".
std::string normalise(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '-' || c == '.' || c == ' ') c = '_';
  }
  return out;
}

template <std::size_t N>
bool one_of(const std::string& value, const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

constexpr std::array<std::string_view, 12> kNoAnswer{
    "did_not_pick", "did_not_pick_up", "user_did_not_pick_up", "no_answer",
    "not_answered", "unanswered",      "dial_no_answer",       "ring_timeout",
    "no_pickup",    "user_not_picked", "not_picked",           "no_response"};
constexpr std::array<std::string_view, 7> kBusy{
    "user_busy", "busy", "dial_busy", "line_busy", "user_declined", "declined", "rejected"};
constexpr std::array<std::string_view, 7> kVoicemail{
    "voicemail_detected", "voicemail", "voicemail_reached", "machine_detected",
    "answering_machine",  "machine",   "voicemail_left"};
constexpr std::array<std::string_view, 14> kFailed{"failed",
                                                   "error",
                                                   "dial_failed",
                                                   "invalid_number",
                                                   "invalid_destination",
                                                   "number_invalid",
                                                   "call_failed",
                                                   "provider_error",
                                                   "canceled",
                                                   "cancelled",
                                                   "concurrency_limit_reached",
                                                   "no_valid_payment",
                                                   "registered_call_timeout",
                                                   "unreachable"};
constexpr std::array<std::string_view, 14> kCompleted{
    "completed",     "complete",         "ended",
    "user_hangup",   "agent_hangup",     "call_transfer",
    "transferred",   "call_transferred", "max_duration_reached",
    "inactivity",    "hangup",           "user_hung_up",
    "agent_hung_up", "call_completed"};
// Event types that end a call.
constexpr std::array<std::string_view, 9> kEndingEvents{
    "call_ended", "call_completed", "call_analyzed", "call_analysed", "call_failed",
    "ended",      "completed",      "call_finished", "call_end"};

std::optional<std::string> known_outcome(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (one_of(name, kNoAnswer)) return "NO_ANSWER";
  if (one_of(name, kBusy)) return "BUSY";
  if (one_of(name, kVoicemail)) return "VOICEMAIL";
  if (one_of(name, kFailed) || name.starts_with("error_") || name.ends_with("_error") ||
      name.ends_with("_failed"))
    return "FAILED";
  if (one_of(name, kCompleted)) return "COMPLETED";
  return std::nullopt;
}

const Json* member(const Json& object, std::initializer_list<const char*> names) {
  if (!object.is_object()) return nullptr;
  for (const char* name : names)
    if (auto it = object.find(name); it != object.end() && !it->is_null()) return &*it;
  return nullptr;
}

std::optional<std::string> text_of(const Json& object, std::initializer_list<const char*> names) {
  const Json* value = member(object, names);
  if (!value) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number_integer()) return std::to_string(value->get<std::int64_t>());
  return std::nullopt;
}

std::optional<double> number_of(const Json& object, std::initializer_list<const char*> names) {
  const Json* value = member(object, names);
  if (value && value->is_number()) return value->get<double>();
  if (value && value->is_string()) {
    try {
      return std::stod(value->get<std::string>());
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

// The call object inside the envelopes providers use.
const Json& call_object(const Json& body) {
  if (const Json* payload = member(body, {"payload", "data"}); payload && payload->is_object()) {
    if (const Json* call = member(*payload, {"call"}); call && call->is_object()) return *call;
    return *payload;
  }
  if (const Json* call = member(body, {"call"}); call && call->is_object()) return *call;
  return body;
}

std::optional<std::string> transcript_of(const Json& call) {
  const Json* value = member(call, {"transcript", "transcript_text"});
  if (!value) return std::nullopt;
  if (value->is_string()) return value->get<std::string>();
  if (!value->is_array()) return std::nullopt;
  // [{"role": "agent", "content": "Hello"}, ...] -> "agent: Hello\n..."
  std::string text;
  for (const auto& turn : *value) {
    if (!turn.is_object()) continue;
    if (!text.empty()) text += '\n';
    text += turn.value("role", turn.value("speaker", "")) + ": " +
            turn.value("content", turn.value("text", turn.value("message", "")));
  }
  return text;
}
}  // namespace

std::optional<std::string> outcome_for_provider_status(std::string_view status,
                                                       std::string_view end_reason,
                                                       std::optional<double> duration_seconds,
                                                       bool event_says_ended) {
  const std::string reason = normalise(end_reason);
  const std::string state = normalise(status);
  if (auto outcome = known_outcome(reason)) return outcome;
  // "ended" says the call is over, not how it went; "completed" says it went through.
  const bool neutral_end = state == "ended" || state == "done" || state == "finished";
  if (!neutral_end)
    if (auto outcome = known_outcome(state)) return outcome;
  const bool ended = event_says_ended || !reason.empty() || neutral_end;
  if (!ended) return std::nullopt;  // ringing, in progress, or a status we do not know
  if (reason.empty() || duration_seconds.value_or(0) > 0) return "COMPLETED";  // ended normally
  return "FAILED";
}

std::variant<CallReport, std::string> parse_call_report(const Json& body) {
  if (!body.is_object()) return std::string("body must be a JSON object");
  const Json& call = call_object(body);
  CallReport report;
  const Json* metadata = member(call, {"metadata"});
  if (metadata && metadata->is_object()) {
    report.call_id = text_of(*metadata, {"call_id", "leadline_call_id"});
    report.idempotency_key = text_of(*metadata, {"idempotency_key"});
  }
  report.provider_call_id = text_of(call, {"id", "call_id", "provider_call_id"});
  if (!report.idempotency_key) report.idempotency_key = text_of(call, {"idempotency_key"});
  if (!report.call_id && !report.provider_call_id && !report.idempotency_key)
    return std::string(
        "the event names no call: expected call.id, call.call_id or "
        "call.metadata.call_id");

  const std::string event = normalise(text_of(body, {"event_type", "event", "type"}).value_or(""));
  const std::string status = text_of(call, {"status", "call_status"}).value_or("");
  report.end_reason =
      text_of(call, {"end_reason", "disconnection_reason", "ended_reason", "hangup_reason"});
  report.duration_seconds = number_of(call, {"duration_seconds", "duration", "call_length"});
  if (!report.duration_seconds)
    if (auto ms = number_of(call, {"duration_ms"})) report.duration_seconds = *ms / 1000.0;
  if (report.duration_seconds && *report.duration_seconds < 0)
    return std::string("call.duration_seconds must not be negative");
  report.transcript = transcript_of(call);
  if (const Json* analysis =
          member(call, {"postcall_analysis", "post_call_analysis", "call_analysis", "analysis"})) {
    if (!analysis->is_object()) return std::string("call.postcall_analysis must be an object");
    report.postcall_analysis = *analysis;
  }
  report.outcome =
      outcome_for_provider_status(status, report.end_reason.value_or(""), report.duration_seconds,
                                  one_of(event, kEndingEvents));
  if (report.outcome && !report.end_reason && !status.empty())
    report.end_reason = normalise(status);
  return report;
}

}  // namespace leadline::domain
