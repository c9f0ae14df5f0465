#pragma once
// What a call provider reports about a call (POST /v1/call-events, spec §6.1), read from the
// shapes DialNexa-style platforms send: `{"event_type": "call_ended", "payload": {"call":
// {...}}}`, `{"event": ..., "call": {...}}`, or the call object alone. Provider statuses and
// end reasons are mapped onto our five outcomes. Pure.
#include <optional>
#include <string>
#include <variant>

#include "util/json.h"

namespace leadline::domain {

struct CallReport {
  // Which call: our id (sent in metadata.call_id), the provider's id, or the attempt's
  // idempotency key; at least one is set.
  std::optional<std::string> call_id;
  std::optional<std::string> provider_call_id;
  std::optional<std::string> idempotency_key;
  // Set when the report ends the call; nullopt for progress events (ringing, started, ...).
  std::optional<std::string> outcome;  // COMPLETED, NO_ANSWER, BUSY, VOICEMAIL, FAILED
  std::optional<std::string> end_reason;
  std::optional<double> duration_seconds;
  std::optional<std::string> transcript;
  Json postcall_analysis = nullptr;  // an object when the report carries one
};

// The report, or a message saying what is wrong with the body (a 400).
std::variant<CallReport, std::string> parse_call_report(const Json& body);

// The outcome a provider's end reason and status stand for; nullopt when the call has not
// ended. Unknown reasons of an ended call count as COMPLETED when it lasted, else FAILED.
std::optional<std::string> outcome_for_provider_status(std::string_view status,
                                                       std::string_view end_reason,
                                                       std::optional<double> duration_seconds,
                                                       bool event_says_ended);

}  // namespace leadline::domain
