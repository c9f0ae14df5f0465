#pragma once
// Leads, their history and their calls (spec §5, §6). Pure values, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.h"
#include "util/time.h"

namespace leadline::domain {

enum class LeadStatus { kPending, kActive, kCompleted, kDropped, kRemoved, kCancelled, kFailed };
std::string_view to_string(LeadStatus status);
// Also accepts "in_progress" as a synonym of active (list filters).
std::optional<LeadStatus> lead_status_from_string(std::string_view text);
bool is_terminal(LeadStatus status);

// What a lead standing on a node waits for before the engine looks at it again.
enum class WaitKind {
  kNone,   // due to run its node (just entered, or a retry/delay is over)
  kDelay,  // a TIME node or a retry delay; frozen while the workflow is paused
  kCall,   // the result of the call in call_id
  // The call in call_id is still to be recorded, but the lead must not move on when it is:
  // its workflow is not active, or the lead was removed.
  kCallDetached,
  kHttp,  // the answer of a WEBHOOK / APPLICATION http request
  // The next opening of the calling window, for a call or text that came due outside it.
  // Not shifted by a pause: the window is checked again whenever the step runs.
  kWindow,
  // The moment a contact cap (organization, workflow or state rule) allows the next call to
  // the lead's number. Checked again when it comes: other leads may have called meanwhile.
  kContactCap,
  // A WAIT_FOR_EVENT node: one of its event types, or its timeout (next_action_at).
  kEvent,
};
std::string_view to_string(WaitKind kind);
WaitKind wait_kind_from_string(std::string_view text);

struct Lead {
  std::string id;
  std::string org_id;
  std::string workflow_id;
  std::string phone_number;         // E.164
  Json variables = Json::object();  // string values only
  LeadStatus status = LeadStatus::kPending;
  std::optional<std::string> current_node_id;
  bool stalled = false;
  WaitKind wait_kind = WaitKind::kNone;
  int attempt = 0;                     // attempt number at the current VOICE_CALL node
  std::optional<std::string> call_id;  // the call being waited for
  std::int64_t call_count = 0;         // calls placed for this lead in this workflow
  // What conditions read besides variables: {"last_call": {...}, "app": {...}}.
  Json context = Json::object();
  std::optional<util::Millis> next_action_at;  // null = not due (terminal, stalled, waiting)
  std::optional<util::Millis> entered_at;      // when it entered current_node_id
  util::Millis enrolled_at = 0;
  util::Millis created_at = 0;
  util::Millis updated_at = 0;
  // {"type", "source", "obtained_at", "evidence"} (domain/consent.h), or null: none given.
  Json consent = nullptr;
  // Not stored: set when a step changed `variables`, so the store rewrites them only then.
  bool variables_changed = false;
  // Not stored: set by a step that left `context` as it was read, so the store does not
  // serialize and rewrite it (most steps: a delay, a call placed). Unset, it is written.
  bool context_unchanged = false;
};

// One node visit (or one call attempt of a VOICE_CALL node), written when it ends.
struct HistoryEntry {
  std::string lead_id;
  std::string workflow_id;
  std::string node_id;
  std::string node_type;
  std::string label;
  // completed, retrying, waiting (for a calling window or a callback time), stalled,
  // failed, cancelled, removed
  std::string status;
  std::optional<std::string> outcome;
  std::optional<std::string> edge_label;
  std::optional<std::string> to_node_id;
  std::optional<std::string> call_id;
  std::optional<int> attempt;
  util::Millis started_at = 0;
  std::optional<util::Millis> ended_at;
  std::optional<std::string> reason;
};

struct Call {
  std::string id;
  std::string org_id;
  std::string workflow_id;
  std::string lead_id;
  std::string node_id;
  int attempt = 1;
  std::string to_phone_number;
  std::string from_phone_number;
  std::string agent_id;
  std::optional<int> agent_version_number;
  std::string status =
      "queued";  // queued, initiated, completed, no_answer, busy, voicemail, failed
  std::optional<std::string> outcome;  // COMPLETED, NO_ANSWER, BUSY, VOICEMAIL, FAILED
  std::optional<std::string> end_reason;
  std::optional<double> duration_seconds;
  Json postcall_analysis = nullptr;
  std::optional<std::string> transcript;
  std::optional<std::string> provider_call_id;
  util::Millis created_at = 0;
  std::optional<util::Millis> ended_at;
  // External provider only (spec §6.1): a call is `queued` until the provider accepts it.
  std::optional<util::Millis> dispatched_at;     // when the provider accepted it
  std::optional<util::Millis> next_dispatch_at;  // queued: when it may be sent (again)
  int dispatch_attempts = 0;                     // requests sent to the provider
  std::optional<std::string> dispatch_error;     // the provider's last refusal or error

  // "<lead_id>:<node_id>:<attempt>": what the provider is asked to place at most once. The
  // store keeps (lead_id, node_id, attempt) unique, so it names one call for good.
  std::string idempotency_key() const;
};

// The (lead, node, attempt) an idempotency key names; nullopt if `key` is not one. Lead ids
// have no ':' and attempts are numbers, so a node id with ':' in it still parses.
struct CallAttempt {
  std::string lead_id;
  std::string node_id;
  int attempt = 0;
};
std::optional<CallAttempt> parse_call_idempotency_key(std::string_view key);

// The call status a final outcome is stored as ("NO_ANSWER" -> "no_answer").
std::string call_status_for_outcome(std::string_view outcome);

}  // namespace leadline::domain
