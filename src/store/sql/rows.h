#pragma once
// Column lists and row mapping for leads and calls, shared by the API-side and engine-side
// code so both read and write the same shape. Writes of many rows go in one statement per
// chunk on PostgreSQL (an array per column, turned back into rows by unnest(): one round trip
// per batch, not per row); SQLite, in process, writes 32 rows per statement (a VALUES list).
// Each row's values are listed once (rows.cpp) for both.
#include <string_view>
#include <unordered_map>

#include "domain/lead.h"
#include "store/sql/driver.h"
#include "store/store.h"
#include "store/webhook_fanout.h"

namespace leadline::store::sql {

// Lead columns, prefixed "l." so joins can use them: of the view lead_rows, which joins a
// lead's row (leads) with its state row (lead_states).
inline constexpr std::string_view kLeadColumns =
    "l.id, l.org_id, l.workflow_id, l.phone_number, l.variables, l.status, l.current_node_id, "
    "l.stalled, l.wait_kind, l.attempt, l.call_id, l.call_count, l.context, l.next_action_at, "
    "l.entered_at, l.enrolled_at, l.created_at, l.updated_at, l.consent";
inline constexpr int kLeadColumnCount = 19;
// The same columns from kLeadTables, for the statements that lock a lead's state row: on
// PostgreSQL a lock on the view lead_rows would lock the rows of all three tables.
inline constexpr std::string_view kLeadAndStateColumns =
    "l.id, l.org_id, l.workflow_id, l.phone_number, l.variables, s.status, s.current_node_id, "
    "s.stalled, s.wait_kind, s.attempt, s.call_id, s.call_count, coalesce(c.context, '{}'), "
    "s.next_action_at, s.entered_at, l.enrolled_at, l.created_at, s.updated_at, l.consent";
inline constexpr std::string_view kLeadTables =
    "lead_states s JOIN leads l ON l.seq = s.lead_seq "
    "LEFT JOIN lead_contexts c ON c.lead_seq = s.lead_seq";
domain::Lead read_lead(const Statement& s, int first = 0);

// Call columns, prefixed "c.": of the view call_rows, which joins a call's row (calls) with
// its result (call_results), once it has one.
inline constexpr std::string_view kCallColumns =
    "c.id, c.org_id, c.workflow_id, c.lead_id, c.node_id, c.attempt, c.to_phone_number, "
    "c.from_phone_number, c.agent_id, c.status, c.outcome, c.end_reason, "
    "c.duration_seconds, c.postcall_analysis, c.transcript, c.provider_call_id, c.created_at, "
    "c.ended_at, c.agent_version_number, c.dispatched_at, c.next_dispatch_at, "
    "c.dispatch_attempts, c.dispatch_error";
inline constexpr int kCallColumnCount = 23;
domain::Call read_call(const Statement& s, int first = 0);

// A JSON column that holds an object; anything else (malformed text) reads as {}.
Json parse_object(std::string_view text);
// JSON text for a column, NULL for a JSON null (call analysis).
std::optional<std::string> dump_or_null(const Json& j);

// Inserts lead rows (every column of kLeadColumns).
void insert_leads(Connection& conn, const std::vector<const domain::Lead*>& leads);
// Row keys (seq) by public id, of the rows a transaction read: updates find a row by its key
// instead of looking its text id up in an index.
using RowKeys = std::unordered_map<std::string, std::int64_t>;

// Rewrites the state rows of leads, and their contexts and variables where they changed.
void update_lead_states(Connection& conn, const std::vector<domain::Lead>& leads,
                        const RowKeys& rows = {});
// Sets the context of the lead whose row key is `seq`.
void write_lead_context(Connection& conn, std::int64_t seq, const Json& context);
// A lead's row key: from `read` (the rows the transaction read), or looked up.
std::int64_t lead_key(Connection& conn, const RowKeys& read, const std::string& lead_id);
// Appends history rows, each with its lead's row key: from `leads` (the rows the transaction
// read), or looked up.
void insert_history(Connection& conn, const std::vector<domain::HistoryEntry>& entries,
                    const RowKeys& leads = {});
// Inserts new calls (queued, or sent: status "initiated"); they have no result yet.
void insert_calls(Connection& conn, const std::vector<domain::Call>& calls);
// Records the results of calls (status, outcome, end_reason, duration, analysis, transcript,
// ended_at), replacing any they had, and takes them off the calls in flight. A call that
// ends unsent leaves the queue by its own statement (dispatch.cpp).
void record_call_results(Connection& conn, const std::vector<domain::Call>& calls,
                         const RowKeys& rows = {});

// Locks the workflow's row until commit on PostgreSQL: orders a change after (or before) every
// other change of the workflow, as SQLite's single writer does (nothing to do there).
// kShare lets other readers of the row go on (a copy of the workflow waits for edits only).
enum class WorkflowLock { kUpdate, kShare };
void lock_workflow(Connection& conn, std::string_view workflow_id,
                   WorkflowLock mode = WorkflowLock::kUpdate);

// One page of a filtered list: runs `count_sql`, then `list_sql` (which must end in
// "LIMIT ? OFFSET ?"), binding `filters` in order first in both, and maps rows with `read`.
template <typename T, typename Read>
Page<T> read_page(Connection& conn, const std::string& count_sql, const std::string& list_sql,
                  const std::vector<std::string>& filters, const PageRequest& page, Read read) {
  Page<T> result;
  {
    auto s = conn.prepare(count_sql);
    for (size_t i = 0; i < filters.size(); ++i) s.bind(static_cast<int>(i + 1), filters[i]);
    if (s.step()) result.total = s.integer(0);
  }
  auto s = conn.prepare(list_sql);
  const int n = static_cast<int>(filters.size());
  for (int i = 0; i < n; ++i) s.bind(i + 1, filters[static_cast<size_t>(i)]);
  s.bind(n + 1, page.limit);
  s.bind(n + 2, static_cast<std::int64_t>(page.page - 1) * page.limit);
  while (s.step()) result.items.push_back(read(s));
  return result;
}

// The active webhooks (webhooks.cpp); read in the transaction that writes events.
std::vector<Subscriber> load_subscribers(Connection& conn);
// Writes each event some subscriber wants, with one pending delivery per such subscriber.
void write_events(Connection& conn, const std::vector<domain::Event>& events,
                  const std::vector<Subscriber>& subscribers);

}  // namespace leadline::store::sql
