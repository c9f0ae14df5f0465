#include "store/sql/rows.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "store/sql/column_arrays.h"
#include "store/sql/lead_counts.h"

namespace leadline::store::sql {
namespace {
using domain::Call;
using domain::HistoryEntry;
using domain::Lead;

// A lead is up to three rows (migration 0014), keyed by the lead's seq: `leads` holds what is
// written once (its number, variables, consent, enrolment), `lead_states` the state each step
// rewrites, in a narrow row, and `lead_contexts` its context once it has one. A step rewrites
// its lead's state row, and its context or variables only when it changed them.

// SQLite statements of one row, in a VALUES list that write_values repeats for many rows.
constexpr std::string_view kInsertLeadRow =
    "INSERT INTO leads (id, org_id, workflow_id, phone_number, variables, consent, enrolled_at, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertLeadStateRow =
    "INSERT INTO lead_states (lead_seq, workflow_id, status, current_node_id, stalled, "
    "wait_kind, attempt, call_id, call_count, next_action_at, entered_at, updated_at) "
    "VALUES ((SELECT seq FROM leads WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// The state a step rewrites, for a row the transaction did not read (its key unknown).
constexpr std::string_view kUpdateLeadStateById =
    "UPDATE lead_states SET status = ?, current_node_id = ?, stalled = ?, wait_kind = ?, "
    "attempt = ?, call_id = ?, call_count = ?, next_action_at = ?, entered_at = ?, "
    "updated_at = ? WHERE lead_seq = (SELECT seq FROM leads WHERE id = ?)";
// The same columns, for many rows by key: 32 rows per statement (write_values).
constexpr std::string_view kUpdateLeadStatesByKey =
    "UPDATE lead_states SET status = v.column2, current_node_id = v.column3, "
    "stalled = v.column4, wait_kind = v.column5, attempt = v.column6, call_id = v.column7, "
    "call_count = v.column8, next_action_at = v.column9, entered_at = v.column10, "
    "updated_at = v.column11 FROM (VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)) AS v "
    "WHERE lead_states.lead_seq = v.column1";
// A lead's context and its variables, by id and by key.
constexpr std::string_view kSetContextById =
    "INSERT INTO lead_contexts (context, lead_seq) VALUES (?, (SELECT seq FROM leads WHERE id = "
    "?)) ON CONFLICT (lead_seq) DO UPDATE SET context = excluded.context";
constexpr std::string_view kSetContextsByKey =
    "INSERT INTO lead_contexts (lead_seq, context) VALUES (?, ?) "
    "ON CONFLICT (lead_seq) DO UPDATE SET context = excluded.context";
constexpr std::string_view kSetVariablesById = "UPDATE leads SET variables = ? WHERE id = ?";
constexpr std::string_view kSetVariablesByKey =
    "UPDATE leads SET variables = v.column2 FROM (VALUES (?, ?)) AS v WHERE leads.seq = v.column1";
constexpr std::string_view kInsertHistoryRow =
    "INSERT INTO lead_history (lead_seq, lead_id, workflow_id, node_id, node_type, label, "
    "status, outcome, edge_label, to_node_id, call_id, attempt, started_at, ended_at, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kLeadKey = "SELECT seq FROM leads WHERE id = ?";
constexpr std::string_view kCallKey = "SELECT seq FROM calls WHERE id = ?";
constexpr std::string_view kInsertCallRow =
    "INSERT INTO calls (id, org_id, workflow_id, lead_id, node_id, attempt, to_phone_number, "
    "from_phone_number, agent_id, status, provider_call_id, created_at, agent_version_number, "
    "next_dispatch_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// SQLite has one writer: the calls a transaction inserts are those above the largest key
// before it (AUTOINCREMENT never reuses one).
constexpr std::string_view kLastCallKey = "SELECT coalesce(max(seq), 0) FROM calls";
constexpr std::string_view kStartFlightsAfter =
    "INSERT INTO calls_in_flight (call_seq, workflow_id) SELECT seq, workflow_id FROM calls "
    "WHERE seq > ? AND status = 'initiated'";
constexpr std::string_view kRecordCallResultRow =
    "INSERT INTO call_results (call_seq, status, outcome, end_reason, duration_seconds, "
    "postcall_analysis, transcript, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (call_seq) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, "
    "end_reason = excluded.end_reason, duration_seconds = excluded.duration_seconds, "
    "postcall_analysis = excluded.postcall_analysis, transcript = excluded.transcript, "
    "ended_at = excluded.ended_at";
constexpr std::string_view kEndFlightRows =
    "DELETE FROM calls_in_flight WHERE (workflow_id, call_seq) IN (VALUES (?, ?))";

// PostgreSQL statements of many rows: each column of the rows is one array parameter, and
// unnest() turns the arrays back into rows (v), in order.
// The lead rows and their state rows in one statement: the state rows take the keys the
// lead rows were given (joined on the id, unique in the batch).
constexpr std::string_view kInsertLeads =
    "WITH v AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
    "?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::text[], "
    "?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) "
    "WITH ORDINALITY AS v(id, org_id, workflow_id, phone_number, variables, consent, "
    "enrolled_at, created_at, status, current_node_id, stalled, wait_kind, attempt, call_id, "
    "call_count, next_action_at, entered_at, updated_at, n)), "
    "inserted AS (INSERT INTO leads (id, org_id, workflow_id, phone_number, variables, consent, "
    "enrolled_at, created_at) SELECT id, org_id, workflow_id, phone_number, variables, consent, "
    "enrolled_at, created_at FROM v ORDER BY n RETURNING seq, id) "
    "INSERT INTO lead_states (lead_seq, workflow_id, status, current_node_id, stalled, "
    "wait_kind, attempt, call_id, call_count, next_action_at, entered_at, updated_at) "
    "SELECT i.seq, v.workflow_id, v.status, v.current_node_id, v.stalled, v.wait_kind, "
    "v.attempt, v.call_id, v.call_count, v.next_action_at, v.entered_at, v.updated_at "
    "FROM inserted i JOIN v ON v.id = i.id ORDER BY i.seq";
// The updates join on the row key the transaction read (seq, the primary key), not on the
// text id: on 1,000,000 leads that found a batch's rows in a third of the time.
constexpr std::string_view kUpdateLeadStates =
    "UPDATE lead_states s SET status = v.status, current_node_id = v.current_node_id, "
    "stalled = v.stalled, wait_kind = v.wait_kind, attempt = v.attempt, call_id = v.call_id, "
    "call_count = v.call_count, next_action_at = v.next_action_at, entered_at = v.entered_at, "
    "updated_at = v.updated_at "
    "FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], "
    "?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) "
    "AS v(seq, status, current_node_id, stalled, wait_kind, attempt, call_id, call_count, "
    "next_action_at, entered_at, updated_at) WHERE s.lead_seq = v.seq";
constexpr std::string_view kSetContexts =
    "INSERT INTO lead_contexts (lead_seq, context) SELECT seq, context "
    "FROM unnest(?::bigint[], ?::text[]) AS v(seq, context) "
    "ON CONFLICT (lead_seq) DO UPDATE SET context = excluded.context";
constexpr std::string_view kSetVariables =
    "UPDATE leads l SET variables = v.variables FROM unnest(?::bigint[], ?::text[]) "
    "AS v(seq, variables) WHERE l.seq = v.seq";
// History rows are only ever appended: COPY (see CopyRows), in the entries' order.
constexpr std::string_view kCopyHistory =
    "COPY lead_history (lead_seq, lead_id, workflow_id, node_id, node_type, label, status, "
    "outcome, edge_label, to_node_id, call_id, attempt, started_at, ended_at, reason) FROM STDIN";
// New calls are appended by COPY (see CopyRows), their keys drawn first from the calls'
// sequence (COPY writes an identity column's given values), so that the sent ones (the
// simulator's) go into calls_in_flight by the same keys. The sequence is looked up once, not
// per key (3 µs a key).
constexpr std::string_view kNewCallKeys =
    "SELECT nextval((SELECT pg_get_serial_sequence('calls', 'seq')::regclass)) "
    "FROM generate_series(1, ?)";
constexpr std::string_view kCopyCalls =
    "COPY calls (seq, id, org_id, workflow_id, lead_id, node_id, attempt, to_phone_number, "
    "from_phone_number, agent_id, status, provider_call_id, created_at, agent_version_number, "
    "next_dispatch_at) FROM STDIN";
constexpr std::string_view kCopyFlights = "COPY calls_in_flight (call_seq, workflow_id) FROM STDIN";
constexpr std::string_view kRecordCallResults =
    "INSERT INTO call_results (call_seq, status, outcome, end_reason, duration_seconds, "
    "postcall_analysis, transcript, ended_at) "
    "SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::text[], "
    "?::text[], ?::bigint[]) "
    "ON CONFLICT (call_seq) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, "
    "end_reason = excluded.end_reason, duration_seconds = excluded.duration_seconds, "
    "postcall_analysis = excluded.postcall_analysis, transcript = excluded.transcript, "
    "ended_at = excluded.ended_at";
constexpr std::string_view kEndFlights =
    "DELETE FROM calls_in_flight f USING unnest(?::text[], ?::bigint[]) AS v(workflow_id, seq) "
    "WHERE f.workflow_id = v.workflow_id AND f.call_seq = v.seq";

// Runs `sql`, a statement with one row in its VALUES list ("... VALUES (?, ...) ..."), over
// `rows` on SQLite, several rows per statement: a statement run per row costs its reset, the
// clearing of its bindings and the statement cache's look-up once more for every row.
// `bind_row(s, first, row)` binds a row's values from parameter `first` on. Rows go in
// order (an INSERT's keys grow in that order).
template <typename Rows, typename BindRow>
void write_values(Connection& conn, std::string_view sql, const Rows& rows, BindRow bind_row) {
  constexpr size_t kRowsPerValues = 32;
  const size_t row_start = sql.find("VALUES (") + 7;
  size_t row_end = row_start;  // after the ')' that closes the row (it may hold subqueries)
  for (int depth = 0; row_end < sql.size();)
    if (const char c = sql[row_end++]; c == '(')
      ++depth;
    else if (c == ')' && --depth == 0)
      break;
  const std::string_view row = sql.substr(row_start, row_end - row_start);
  const int columns = static_cast<int>(std::count(row.begin(), row.end(), '?'));
  size_t next = 0;
  if (rows.size() >= kRowsPerValues) {
    std::string many(sql.substr(0, row_end));
    for (size_t i = 1; i < kRowsPerValues; ++i) many.append(", ").append(row);
    many.append(sql.substr(row_end));
    for (; next + kRowsPerValues <= rows.size(); next += kRowsPerValues) {
      auto s = conn.prepare(many);
      for (size_t i = 0; i < kRowsPerValues; ++i)
        bind_row(s, 1 + static_cast<int>(i) * columns, rows[next + i]);
      s.exec();
    }
  }
  for (; next < rows.size(); ++next) {
    auto s = conn.prepare(sql);
    bind_row(s, 1, rows[next]);
    s.exec();
  }
}

// Updates the rows of `items` on SQLite: those whose key the transaction read, 32 per
// statement (`by_key`, a VALUES list of the key and the values, joined on seq); any other by
// its id (`by_id`, the id bound after the values, its last parameter). `bind(s, first, item)`
// binds an item's values from parameter `first` on.
template <typename Item, typename Bind>
void update_rows(Connection& conn, std::string_view by_key, std::string_view by_id,
                 const std::vector<const Item*>& items, const RowKeys& rows, Bind bind) {
  const int id_parameter = static_cast<int>(std::count(by_id.begin(), by_id.end(), '?'));
  std::vector<std::pair<std::int64_t, const Item*>> keyed;
  keyed.reserve(items.size());
  for (const Item* item : items) {
    if (const auto row = rows.find(item->id); row != rows.end()) {
      keyed.emplace_back(row->second, item);
    } else {
      auto s = conn.prepare(by_id);
      bind(s, 1, *item).bind(id_parameter, item->id).exec();
    }
  }
  write_values(conn, by_key, keyed,
               [&](Statement& s, int first, const std::pair<std::int64_t, const Item*>& row) {
                 bind(s.bind(first, row.first), first + 1, *row.second);
               });
}

// Binds values to a statement's parameters in order, from `first` on (a row of SQLite's
// VALUES lists): the same row functions below fill it and PostgreSQL's ColumnArrays.
struct BoundRow {
  Statement& s;
  int next;
  template <typename T>
  BoundRow& add(const T& value) {
    s.bind(next++, value);
    return *this;
  }
};

// The 10 columns of a lead's state row that a step rewrites (kUpdateLeadStateById's order).
template <typename Row>
Row& lead_state_values(Row& r, const Lead& l) {
  return r.add(Kept{to_string(l.status)})
      .add(kept(l.current_node_id))
      .add(l.stalled ? 1 : 0)
      .add(Kept{to_string(l.wait_kind)})
      .add(l.attempt)
      .add(kept(l.call_id))
      .add(l.call_count)
      .add(l.next_action_at)
      .add(l.entered_at)
      .add(l.updated_at);
}

// A lead row in kInsertLeadRow's order.
template <typename Row>
Row& lead_row_values(Row& r, const Lead& l) {
  return r.add(kept(l.id))
      .add(kept(l.org_id))
      .add(kept(l.workflow_id))
      .add(kept(l.phone_number))
      .add(l.variables.dump())
      .add(dump_or_null(l.consent))
      .add(l.enrolled_at)
      .add(l.created_at);
}

// A history entry and its lead's row key.
using KeyedEntry = std::pair<std::int64_t, const HistoryEntry*>;

template <typename Row>
void history_values(Row& r, const KeyedEntry& entry) {
  const HistoryEntry& h = *entry.second;
  r.add(entry.first)
      .add(kept(h.lead_id))
      .add(kept(h.workflow_id))
      .add(kept(h.node_id))
      .add(kept(h.node_type))
      .add(kept(h.label))
      .add(kept(h.status))
      .add(kept(h.outcome))
      .add(kept(h.edge_label))
      .add(kept(h.to_node_id))
      .add(kept(h.call_id))
      .add(h.attempt)
      .add(h.started_at)
      .add(h.ended_at)
      .add(kept(h.reason));
}

template <typename Row>
void call_values(Row& r, const Call& c) {
  r.add(kept(c.id))
      .add(kept(c.org_id))
      .add(kept(c.workflow_id))
      .add(kept(c.lead_id))
      .add(kept(c.node_id))
      .add(c.attempt)
      .add(kept(c.to_phone_number))
      .add(kept(c.from_phone_number))
      .add(kept(c.agent_id))
      .add(kept(c.status))
      .add(kept(c.provider_call_id))
      .add(c.created_at)
      .add(c.agent_version_number)
      .add(c.next_dispatch_at);
}

// A call's result row: its key and the 7 columns of its result.
template <typename Row>
void call_result_values(Row& r, std::int64_t seq, const Call& c) {
  r.add(seq)
      .add(kept(c.status))
      .add(kept(c.outcome))
      .add(kept(c.end_reason))
      .add(c.duration_seconds)
      .add(dump_or_null(c.postcall_analysis))
      .add(kept(c.transcript))
      .add(c.ended_at);
}

// Adapts a row function to write_values and update_rows: binds from parameter `first` on.
template <typename Item, typename Values>
auto binder(Values values) {
  return [values](Statement& s, int first, const Item& item) -> Statement& {
    BoundRow row{s, first};
    values(row, item);
    return s;
  };
}

// The last of a batch's writes to each row (by id), in the order the rows first appear: an
// UPDATE that joins its rows on the row must not name one twice (which would win is
// unspecified).
template <typename Row>
std::vector<const Row*> last_writes(const std::vector<Row>& writes) {
  std::vector<const Row*> last;
  last.reserve(writes.size());
  std::unordered_map<std::string_view, size_t> position;
  position.reserve(writes.size());
  for (const Row& row : writes) {
    const auto [it, first] = position.emplace(row.id, last.size());
    if (first)
      last.push_back(&row);
    else
      last[it->second] = &row;
  }
  return last;
}

}  // namespace

Json parse_object(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_object()) j = Json::object();
  return j;  // (a conditional expression here would copy the parsed object)
}

std::optional<std::string> dump_or_null(const Json& j) {
  if (j.is_null()) return std::nullopt;
  return j.dump();
}

Lead read_lead(const Statement& s, int i) {
  Lead l;
  l.id = s.text(i + 0);
  l.org_id = s.text(i + 1);
  l.workflow_id = s.text(i + 2);
  l.phone_number = s.text(i + 3);
  l.variables = parse_object(s.text_view(i + 4));
  l.status = domain::lead_status_from_string(s.text(i + 5)).value_or(domain::LeadStatus::kFailed);
  l.current_node_id = s.opt_text(i + 6);
  l.stalled = s.integer(i + 7) != 0;
  l.wait_kind = domain::wait_kind_from_string(s.text(i + 8));
  l.attempt = static_cast<int>(s.integer(i + 9));
  l.call_id = s.opt_text(i + 10);
  l.call_count = s.integer(i + 11);
  l.context = parse_object(s.text_view(i + 12));
  l.next_action_at = s.opt_integer(i + 13);
  l.entered_at = s.opt_integer(i + 14);
  l.enrolled_at = s.integer(i + 15);
  l.created_at = s.integer(i + 16);
  l.updated_at = s.integer(i + 17);
  if (!s.is_null(i + 18)) l.consent = Json::parse(s.text_view(i + 18), nullptr, false);
  if (l.consent.is_discarded()) l.consent = nullptr;
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
  c.to_phone_number = s.text(i + 6);
  c.from_phone_number = s.text(i + 7);
  c.agent_id = s.text(i + 8);
  c.status = s.text(i + 9);
  c.outcome = s.opt_text(i + 10);
  c.end_reason = s.opt_text(i + 11);
  if (!s.is_null(i + 12)) c.duration_seconds = s.real(i + 12);
  if (!s.is_null(i + 13)) c.postcall_analysis = Json::parse(s.text_view(i + 13), nullptr, false);
  if (c.postcall_analysis.is_discarded()) c.postcall_analysis = nullptr;
  c.transcript = s.opt_text(i + 14);
  c.provider_call_id = s.opt_text(i + 15);
  c.created_at = s.integer(i + 16);
  c.ended_at = s.opt_integer(i + 17);
  if (!s.is_null(i + 18)) c.agent_version_number = static_cast<int>(s.integer(i + 18));
  c.dispatched_at = s.opt_integer(i + 19);
  c.next_dispatch_at = s.opt_integer(i + 20);
  c.dispatch_attempts = static_cast<int>(s.integer(i + 21));
  c.dispatch_error = s.opt_text(i + 22);
  return c;
}

namespace {
// A row's key: from `read` (the rows the transaction read), or looked up by `key_sql`.
std::int64_t row_key(Connection& conn, const RowKeys& read, const std::string& id,
                     std::string_view key_sql, std::string_view what) {
  if (const auto row = read.find(id); row != read.end()) return row->second;
  auto s = conn.prepare(key_sql).bind(1, id);
  if (!s.step()) throw StoreError(std::string(what) + " " + id + " has no row");
  return s.integer(0);
}

// Adapts a row function to write_arrays over leads, each row led by the lead's key.
template <typename Values>
auto by_key(Connection& conn, const RowKeys& rows, Values values) {
  return [&conn, &rows, values](ColumnArrays& row, const Lead* l) {
    values(row.add(lead_key(conn, rows, l->id)), *l);
  };
}

// Sets the contexts of `leads` (inserted, or replaced).
void write_contexts(Connection& conn, const std::vector<const Lead*>& leads, const RowKeys& rows) {
  auto context = [](auto& row, const Lead& l) -> auto& { return row.add(l.context.dump()); };
  if (!conn.dialect().postgres())
    update_rows(conn, kSetContextsByKey, kSetContextById, leads, rows, binder<Lead>(context));
  else
    write_arrays(conn, kSetContexts, leads, by_key(conn, rows, context));
}

// PostgreSQL: appends the calls, and the sent ones' flights, by COPY (see kNewCallKeys).
void copy_calls(Connection& conn, const std::vector<Call>& calls) {
  std::vector<std::int64_t> keys;
  keys.reserve(calls.size());
  auto s = conn.prepare(kNewCallKeys).bind(1, static_cast<std::int64_t>(calls.size()));
  while (s.step()) keys.push_back(s.integer(0));
  std::sort(keys.begin(), keys.end());  // in the calls' order
  using KeyedCall = std::pair<std::int64_t, const Call*>;
  std::vector<KeyedCall> keyed, sent;
  for (size_t i = 0; i < calls.size(); ++i) {
    keyed.emplace_back(keys.at(i), &calls[i]);
    if (calls[i].status == "initiated") sent.push_back(keyed.back());
  }
  copy_rows(conn, kCopyCalls, keyed,
            [](CopyRows& row, const KeyedCall& c) { call_values(row.add(c.first), *c.second); });
  copy_rows(conn, kCopyFlights, sent, [](CopyRows& row, const KeyedCall& c) {
    row.add(c.first).add(kept(c.second->workflow_id));
  });
}
}  // namespace

std::int64_t lead_key(Connection& conn, const RowKeys& read, const std::string& lead_id) {
  return row_key(conn, read, lead_id, kLeadKey, "lead");
}

void insert_leads(Connection& conn, const std::vector<const Lead*>& leads) {
  CountDeltas counts;
  for (const Lead* lead : leads) counts.add(*lead, +1);
  counts.write(conn);
  if (!conn.dialect().postgres()) {
    write_values(conn, kInsertLeadRow, leads,
                 binder<const Lead*>([](auto& row, const Lead* l) { lead_row_values(row, *l); }));
    write_values(conn, kInsertLeadStateRow, leads,
                 binder<const Lead*>([](auto& row, const Lead* l) {
                   lead_state_values(row.add(kept(l->id)).add(kept(l->workflow_id)), *l);
                 }));
  } else {
    write_arrays(conn, kInsertLeads, leads,
                 [](auto& row, const Lead* l) { lead_state_values(lead_row_values(row, *l), *l); });
  }
  // Leads start with an empty context, which needs no row; any other is written as a step's.
  std::vector<const Lead*> with_context;
  for (const Lead* lead : leads)
    if (!lead->context.empty()) with_context.push_back(lead);
  write_contexts(conn, with_context, {});
}

void update_lead_states(Connection& conn, const std::vector<Lead>& leads, const RowKeys& rows) {
  const std::vector<const Lead*> finals = last_writes(leads);
  // Changed by any of the lead's writes (the last holds them as they end).
  std::unordered_set<std::string_view> variables_changed, context_changed;
  for (const Lead& lead : leads) {
    if (lead.variables_changed) variables_changed.insert(lead.id);
    if (!lead.context_unchanged) context_changed.insert(lead.id);
  }
  std::vector<const Lead*> contexts, variables;
  for (const Lead* lead : finals) {
    if (context_changed.contains(lead->id)) contexts.push_back(lead);
    if (variables_changed.contains(lead->id)) variables.push_back(lead);
  }
  auto state = [](auto& row, const Lead& l) -> auto& { return lead_state_values(row, l); };
  auto variables_of = [](auto& row, const Lead& l) -> auto& { return row.add(l.variables.dump()); };
  if (!conn.dialect().postgres()) {
    update_rows(conn, kUpdateLeadStatesByKey, kUpdateLeadStateById, finals, rows,
                binder<Lead>(state));
    update_rows(conn, kSetVariablesByKey, kSetVariablesById, variables, rows,
                binder<Lead>(variables_of));
  } else {
    write_arrays(conn, kUpdateLeadStates, finals, by_key(conn, rows, state));
    write_arrays(conn, kSetVariables, variables, by_key(conn, rows, variables_of));
  }
  write_contexts(conn, contexts, rows);
}

void write_lead_context(Connection& conn, std::int64_t seq, const Json& context) {
  conn.prepare(kSetContextsByKey).bind(1, seq).bind(2, context.dump()).exec();
}

void insert_history(Connection& conn, const std::vector<HistoryEntry>& entries,
                    const RowKeys& leads) {
  std::vector<KeyedEntry> keyed;
  keyed.reserve(entries.size());
  for (const HistoryEntry& h : entries) keyed.emplace_back(lead_key(conn, leads, h.lead_id), &h);
  auto values = [](auto& row, const KeyedEntry& entry) { history_values(row, entry); };
  if (!conn.dialect().postgres())
    write_values(conn, kInsertHistoryRow, keyed, binder<KeyedEntry>(values));
  else
    copy_rows(conn, kCopyHistory, keyed, values);
}

void insert_calls(Connection& conn, const std::vector<Call>& calls) {
  if (calls.empty()) return;
  if (conn.dialect().postgres()) return copy_calls(conn, calls);
  auto values = [](auto& row, const Call& c) { call_values(row, c); };
  auto last = conn.prepare(kLastCallKey);
  const std::int64_t before = last.step() ? last.integer(0) : 0;
  write_values(conn, kInsertCallRow, calls, binder<Call>(values));
  conn.prepare(kStartFlightsAfter).bind(1, before).exec();
}

void record_call_results(Connection& conn, const std::vector<Call>& calls, const RowKeys& rows) {
  using KeyedCall = std::pair<std::int64_t, const Call*>;
  std::vector<KeyedCall> results;
  for (const Call* call : last_writes(calls))
    results.emplace_back(row_key(conn, rows, call->id, kCallKey, "call"), call);
  auto result = [](auto& row, const KeyedCall& c) { call_result_values(row, c.first, *c.second); };
  auto flight = [](auto& row, const KeyedCall& c) {
    row.add(kept(c.second->workflow_id)).add(c.first);
  };
  if (!conn.dialect().postgres()) {
    write_values(conn, kRecordCallResultRow, results, binder<KeyedCall>(result));
    write_values(conn, kEndFlightRows, results, binder<KeyedCall>(flight));
  } else {
    write_arrays(conn, kRecordCallResults, results, result);
    write_arrays(conn, kEndFlights, results, flight);
  }
}

void lock_workflow(Connection& conn, std::string_view workflow_id, WorkflowLock mode) {
  if (!conn.dialect().postgres()) return;
  conn.prepare(mode == WorkflowLock::kShare ? "SELECT 1 FROM workflows WHERE id = ? FOR SHARE"
                                            : "SELECT 1 FROM workflows WHERE id = ? FOR UPDATE")
      .bind(1, workflow_id)
      .exec();
}

}  // namespace leadline::store::sql
