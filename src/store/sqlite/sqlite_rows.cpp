#include "store/sqlite/sqlite_rows.h"

namespace leadline::store::sqlite {
namespace {
using domain::Call;
using domain::HistoryEntry;
using domain::Lead;

constexpr std::string_view kInsertLead =
    "INSERT INTO leads (id, org_id, workflow_id, phone_number, variables, status, "
    "current_node_id, stalled, wait_kind, attempt, call_id, call_count, context, next_action_at, "
    "entered_at, enrolled_at, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateLeadState =
    "UPDATE leads SET status = ?, current_node_id = ?, stalled = ?, "
    "wait_kind = ?, attempt = ?, call_id = ?, call_count = ?, context = ?, next_action_at = ?, "
    "entered_at = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kUpdateLeadVariables = "UPDATE leads SET variables = ? WHERE id = ?";
constexpr std::string_view kInsertHistory =
    "INSERT INTO lead_history (lead_id, workflow_id, node_id, node_type, label, status, "
    "outcome, edge_label, to_node_id, call_id, attempt, started_at, ended_at, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertCall =
    "INSERT INTO calls (id, org_id, workflow_id, lead_id, node_id, attempt, idempotency_key, "
    "to_phone_number, from_phone_number, agent_id, status, outcome, end_reason, "
    "duration_seconds, postcall_analysis, transcript, provider_call_id, created_at, ended_at, "
    "agent_version_number, next_dispatch_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateCallResult =
    "UPDATE calls SET status = ?, outcome = ?, end_reason = ?, duration_seconds = ?, "
    "postcall_analysis = ?, transcript = ?, provider_call_id = ?, ended_at = ? WHERE id = ?";

Json parse_object(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_object() ? j : Json::object();
}

std::optional<std::string> dump_or_null(const Json& j) {
  if (j.is_null()) return std::nullopt;
  return j.dump();
}
}  // namespace

Lead read_lead(const Statement& s, int i) {
  Lead l;
  l.id = s.text(i + 0);
  l.org_id = s.text(i + 1);
  l.workflow_id = s.text(i + 2);
  l.phone_number = s.text(i + 3);
  l.variables = parse_object(s.text(i + 4));
  l.status = domain::lead_status_from_string(s.text(i + 5)).value_or(domain::LeadStatus::kFailed);
  l.current_node_id = s.opt_text(i + 6);
  l.stalled = s.integer(i + 7) != 0;
  l.wait_kind = domain::wait_kind_from_string(s.text(i + 8));
  l.attempt = static_cast<int>(s.integer(i + 9));
  l.call_id = s.opt_text(i + 10);
  l.call_count = s.integer(i + 11);
  l.context = parse_object(s.text(i + 12));
  l.next_action_at = s.opt_integer(i + 13);
  l.entered_at = s.opt_integer(i + 14);
  l.enrolled_at = s.integer(i + 15);
  l.created_at = s.integer(i + 16);
  l.updated_at = s.integer(i + 17);
  return l;
}

Call read_call(const Statement& s, int i) {
  Call c;
  c.id = s.text(i + 0);
  c.org_id = s.text(i + 1);
  c.workflow_id = s.text(i + 2);
  c.lead_id = s.text(i + 3);
  c.node_id = s.text(i + 4);
  c.attempt = static_cast<int>(s.integer(i + 5));
  c.idempotency_key = s.text(i + 6);
  c.to_phone_number = s.text(i + 7);
  c.from_phone_number = s.text(i + 8);
  c.agent_id = s.text(i + 9);
  c.status = s.text(i + 10);
  c.outcome = s.opt_text(i + 11);
  c.end_reason = s.opt_text(i + 12);
  if (!s.is_null(i + 13)) c.duration_seconds = s.real(i + 13);
  if (auto analysis = s.opt_text(i + 14))
    c.postcall_analysis = Json::parse(*analysis, nullptr, false);
  if (c.postcall_analysis.is_discarded()) c.postcall_analysis = nullptr;
  c.transcript = s.opt_text(i + 15);
  c.provider_call_id = s.opt_text(i + 16);
  c.created_at = s.integer(i + 17);
  c.ended_at = s.opt_integer(i + 18);
  if (!s.is_null(i + 19)) c.agent_version_number = static_cast<int>(s.integer(i + 19));
  c.dispatched_at = s.opt_integer(i + 20);
  c.next_dispatch_at = s.opt_integer(i + 21);
  c.dispatch_attempts = static_cast<int>(s.integer(i + 22));
  c.dispatch_error = s.opt_text(i + 23);
  return c;
}

void insert_lead(Connection& conn, const Lead& l) {
  conn.prepare(kInsertLead)
      .bind(1, l.id)
      .bind(2, l.org_id)
      .bind(3, l.workflow_id)
      .bind(4, l.phone_number)
      .bind(5, l.variables.dump())
      .bind(6, to_string(l.status))
      .bind(7, l.current_node_id)
      .bind(8, l.stalled ? 1 : 0)
      .bind(9, to_string(l.wait_kind))
      .bind(10, l.attempt)
      .bind(11, l.call_id)
      .bind(12, l.call_count)
      .bind(13, l.context.dump())
      .bind(14, l.next_action_at)
      .bind(15, l.entered_at)
      .bind(16, l.enrolled_at)
      .bind(17, l.created_at)
      .bind(18, l.updated_at)
      .exec();
}

void update_lead_state(Connection& conn, const Lead& l) {
  conn.prepare(kUpdateLeadState)
      .bind(1, to_string(l.status))
      .bind(2, l.current_node_id)
      .bind(3, l.stalled ? 1 : 0)
      .bind(4, to_string(l.wait_kind))
      .bind(5, l.attempt)
      .bind(6, l.call_id)
      .bind(7, l.call_count)
      .bind(8, l.context.dump())
      .bind(9, l.next_action_at)
      .bind(10, l.entered_at)
      .bind(11, l.updated_at)
      .bind(12, l.id)
      .exec();
  if (l.variables_changed)
    conn.prepare(kUpdateLeadVariables).bind(1, l.variables.dump()).bind(2, l.id).exec();
}

void insert_history(Connection& conn, const HistoryEntry& h) {
  conn.prepare(kInsertHistory)
      .bind(1, h.lead_id)
      .bind(2, h.workflow_id)
      .bind(3, h.node_id)
      .bind(4, h.node_type)
      .bind(5, h.label)
      .bind(6, h.status)
      .bind(7, h.outcome)
      .bind(8, h.edge_label)
      .bind(9, h.to_node_id)
      .bind(10, h.call_id)
      .bind(11, h.attempt)
      .bind(12, h.started_at)
      .bind(13, h.ended_at)
      .bind(14, h.reason)
      .exec();
}

void insert_call(Connection& conn, const Call& c) {
  conn.prepare(kInsertCall)
      .bind(1, c.id)
      .bind(2, c.org_id)
      .bind(3, c.workflow_id)
      .bind(4, c.lead_id)
      .bind(5, c.node_id)
      .bind(6, c.attempt)
      .bind(7, c.idempotency_key)
      .bind(8, c.to_phone_number)
      .bind(9, c.from_phone_number)
      .bind(10, c.agent_id)
      .bind(11, c.status)
      .bind(12, c.outcome)
      .bind(13, c.end_reason)
      .bind(14, c.duration_seconds)
      .bind(15, dump_or_null(c.postcall_analysis))
      .bind(16, c.transcript)
      .bind(17, c.provider_call_id)
      .bind(18, c.created_at)
      .bind(19, c.ended_at)
      .bind(20, c.agent_version_number)
      .bind(21, c.next_dispatch_at)
      .exec();
}

void update_call_result(Connection& conn, const Call& c) {
  conn.prepare(kUpdateCallResult)
      .bind(1, c.status)
      .bind(2, c.outcome)
      .bind(3, c.end_reason)
      .bind(4, c.duration_seconds)
      .bind(5, dump_or_null(c.postcall_analysis))
      .bind(6, c.transcript)
      .bind(7, c.provider_call_id)
      .bind(8, c.ended_at)
      .bind(9, c.id)
      .exec();
}

}  // namespace leadline::store::sqlite
