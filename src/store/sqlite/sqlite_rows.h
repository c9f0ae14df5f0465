#pragma once
// Column lists and row mapping for leads and calls, shared by the API-side and engine-side
// SQLite code so both read and write the same shape.
#include <string_view>

#include "domain/lead.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store::sqlite {

// Lead columns, prefixed "l." so joins can use them.
inline constexpr std::string_view kLeadColumns =
    "l.id, l.org_id, l.workflow_id, l.phone_number, l.variables, l.status, l.current_node_id, "
    "l.stalled, l.wait_kind, l.attempt, l.call_id, l.call_count, l.context, l.next_action_at, "
    "l.entered_at, l.enrolled_at, l.created_at, l.updated_at";
inline constexpr int kLeadColumnCount = 18;
domain::Lead read_lead(const Statement& s, int first = 0);

// Call columns, prefixed "c.".
inline constexpr std::string_view kCallColumns =
    "c.id, c.org_id, c.workflow_id, c.lead_id, c.node_id, c.attempt, c.idempotency_key, "
    "c.to_phone_number, c.from_phone_number, c.agent_id, c.status, c.outcome, c.end_reason, "
    "c.duration_seconds, c.postcall_analysis, c.transcript, c.provider_call_id, c.created_at, "
    "c.ended_at";
inline constexpr int kCallColumnCount = 19;
domain::Call read_call(const Statement& s, int first = 0);

// Inserts a lead row (every column of kLeadColumns).
void insert_lead(Connection& conn, const domain::Lead& lead);
// Rewrites the mutable engine state of a lead row (its variables only when they changed).
void update_lead_state(Connection& conn, const domain::Lead& lead);
void insert_history(Connection& conn, const domain::HistoryEntry& entry);
void insert_call(Connection& conn, const domain::Call& call);
// Writes the result fields of a call (status, outcome, end_reason, duration, analysis,
// transcript, provider id, ended_at).
void update_call_result(Connection& conn, const domain::Call& call);

}  // namespace leadline::store::sqlite
