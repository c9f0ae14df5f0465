#include "store/sql/rows.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "store/sql/lead_counts.h"

namespace leadline::store::sql {
namespace {
using domain::Call;
using domain::HistoryEntry;
using domain::Lead;

// SQLite statements of one row, in a VALUES list that write_values repeats for many rows.
constexpr std::string_view kInsertLeadRow =
    "INSERT INTO leads (id, org_id, workflow_id, phone_number, variables, status, "
    "current_node_id, stalled, wait_kind, attempt, call_id, call_count, context, next_action_at, "
    "entered_at, updated_at, enrolled_at, created_at, consent) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// The columns a step rewrites, for a row the transaction did not read (its key unknown).
constexpr std::string_view kUpdateLeadStateById =
    "UPDATE leads SET status = ?, current_node_id = ?, stalled = ?, "
    "wait_kind = ?, attempt = ?, call_id = ?, call_count = ?, context = coalesce(?, context), "
    "next_action_at = ?, entered_at = ?, updated_at = ? WHERE id = ?";
// The same columns, for many rows by key: 32 rows per statement (write_values).
constexpr std::string_view kUpdateLeadStatesByKey =
    "UPDATE leads SET status = v.column2, current_node_id = v.column3, stalled = v.column4, "
    "wait_kind = v.column5, attempt = v.column6, call_id = v.column7, call_count = v.column8, "
    "context = coalesce(v.column9, leads.context), next_action_at = v.column10, entered_at = "
    "v.column11, "
    "updated_at = v.column12 FROM (VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)) AS v "
    "WHERE leads.seq = v.column1";
// A lead's context alone (an event only recorded): by id, and by key for many rows.
constexpr std::string_view kUpdateLeadContextById =
    "UPDATE leads SET context = ?, updated_at = ? WHERE id = ?";
constexpr std::string_view kUpdateLeadContextsByKey =
    "UPDATE leads SET context = v.column2, updated_at = v.column3 "
    "FROM (VALUES (?, ?, ?)) AS v WHERE leads.seq = v.column1";
constexpr std::string_view kUpdateLeadVariables = "UPDATE leads SET variables = ? WHERE id = ?";
constexpr std::string_view kInsertHistoryRow =
    "INSERT INTO lead_history (lead_seq, lead_id, workflow_id, node_id, node_type, label, "
    "status, outcome, edge_label, to_node_id, call_id, attempt, started_at, ended_at, reason) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kLeadKey = "SELECT seq FROM leads WHERE id = ?";
constexpr std::string_view kInsertCallRow =
    "INSERT INTO calls (id, org_id, workflow_id, lead_id, node_id, attempt, to_phone_number, "
    "from_phone_number, agent_id, status, outcome, end_reason, "
    "duration_seconds, postcall_analysis, transcript, provider_call_id, created_at, ended_at, "
    "agent_version_number, next_dispatch_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateCallResultById =
    "UPDATE calls SET status = ?, outcome = ?, end_reason = ?, duration_seconds = ?, "
    "postcall_analysis = ?, transcript = ?, provider_call_id = ?, ended_at = ? WHERE id = ?";
constexpr std::string_view kUpdateCallResultsByKey =
    "UPDATE calls SET status = v.column2, outcome = v.column3, end_reason = v.column4, "
    "duration_seconds = v.column5, postcall_analysis = v.column6, transcript = v.column7, "
    "provider_call_id = v.column8, ended_at = v.column9 "
    "FROM (VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)) AS v WHERE calls.seq = v.column1";

// Each statement takes one JSON array of row objects whose keys are column names.
constexpr std::string_view kInsertLeads =
    "INSERT INTO leads (id, org_id, workflow_id, phone_number, variables, status, "
    "current_node_id, stalled, wait_kind, attempt, call_id, call_count, context, next_action_at, "
    "entered_at, enrolled_at, created_at, updated_at, consent) "
    "SELECT id, org_id, workflow_id, phone_number, variables, status, current_node_id, stalled, "
    "wait_kind, attempt, call_id, call_count, context, next_action_at, entered_at, enrolled_at, "
    "created_at, updated_at, consent FROM json_populate_recordset(NULL::leads, ?::json)";
constexpr std::string_view kUpdateLeadStates =
    "UPDATE leads l SET status = v.status, current_node_id = v.current_node_id, "
    "stalled = v.stalled, wait_kind = v.wait_kind, attempt = v.attempt, call_id = v.call_id, "
    "call_count = v.call_count, context = coalesce(v.context, l.context), "
    "next_action_at = v.next_action_at, "
    "entered_at = v.entered_at, updated_at = v.updated_at, "
    "variables = coalesce(v.variables, l.variables) "
    "FROM json_populate_recordset(NULL::leads, ?::json) v WHERE l.id = v.id";
constexpr std::string_view kUpdateLeadContexts =
    "UPDATE leads l SET context = v.context, updated_at = v.updated_at "
    "FROM json_populate_recordset(NULL::leads, ?::json) v WHERE l.id = v.id";
constexpr std::string_view kInsertHistory =
    "INSERT INTO lead_history (lead_seq, lead_id, workflow_id, node_id, node_type, label, "
    "status, outcome, edge_label, to_node_id, call_id, attempt, started_at, ended_at, reason) "
    "SELECT lead_seq, lead_id, workflow_id, node_id, node_type, label, status, outcome, "
    "edge_label, "
    "to_node_id, call_id, attempt, started_at, ended_at, reason "
    "FROM json_populate_recordset(NULL::lead_history, ?::json) WITH ORDINALITY ORDER BY ordinality";
constexpr std::string_view kInsertCalls =
    "INSERT INTO calls (id, org_id, workflow_id, lead_id, node_id, attempt, to_phone_number, "
    "from_phone_number, agent_id, status, outcome, end_reason, "
    "duration_seconds, postcall_analysis, transcript, provider_call_id, created_at, ended_at, "
    "agent_version_number, next_dispatch_at) "
    "SELECT id, org_id, workflow_id, lead_id, node_id, attempt, to_phone_number, "
    "from_phone_number, agent_id, status, outcome, end_reason, "
    "duration_seconds, postcall_analysis, transcript, provider_call_id, created_at, ended_at, "
    "agent_version_number, next_dispatch_at "
    "FROM json_populate_recordset(NULL::calls, ?::json) WITH ORDINALITY ORDER BY ordinality";
constexpr std::string_view kUpdateCallResults =
    "UPDATE calls c SET status = v.status, outcome = v.outcome, end_reason = v.end_reason, "
    "duration_seconds = v.duration_seconds, postcall_analysis = v.postcall_analysis, "
    "transcript = v.transcript, provider_call_id = v.provider_call_id, ended_at = v.ended_at "
    "FROM json_populate_recordset(NULL::calls, ?::json) v WHERE c.id = v.id";

// Rows per statement: keeps each JSON parameter well below a few megabytes.
constexpr size_t kRowsPerStatement = 5000;

template <typename T>
Json opt(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

// Runs `sql` over `rows` in chunks, each row turned into a JSON object by `to_json`.
template <typename Rows, typename ToJson>
void write_rows(Connection& conn, std::string_view sql, const Rows& rows, ToJson to_json) {
  for (size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
    Json array = Json::array();
    const size_t end = std::min(rows.size(), start + kRowsPerStatement);
    for (size_t i = start; i < end; ++i) array.push_back(to_json(rows[i]));
    conn.prepare(sql).bind(1, array.dump(-1, ' ', false, Json::error_handler_t::replace)).exec();
  }
}

// Runs `sql`, a statement with one row in its VALUES list ("... VALUES (?, ...) ..."), over
// `rows` on SQLite, several rows per statement: a statement run per row costs its reset, the
// clearing of its bindings and the statement cache's look-up once more for every row.
// `bind_row(s, first, row)` binds a row's values from parameter `first` on. Rows go in
// order (an INSERT's keys grow in that order).
template <typename Rows, typename BindRow>
void write_values(Connection& conn, std::string_view sql, const Rows& rows, BindRow bind_row) {
  constexpr size_t kRowsPerStatement = 32;
  const size_t row_start = sql.find("VALUES (") + 7;
  const size_t row_end = sql.find(')', row_start) + 1;
  const std::string_view row = sql.substr(row_start, row_end - row_start);
  const int columns = static_cast<int>(std::count(row.begin(), row.end(), '?'));
  size_t next = 0;
  if (rows.size() >= kRowsPerStatement) {
    std::string many(sql.substr(0, row_end));
    for (size_t i = 1; i < kRowsPerStatement; ++i) many.append(", ").append(row);
    many.append(sql.substr(row_end));
    for (; next + kRowsPerStatement <= rows.size(); next += kRowsPerStatement) {
      auto s = conn.prepare(many);
      for (size_t i = 0; i < kRowsPerStatement; ++i)
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

// Binds the 11 columns a step rewrites (kUpdateLeadStateById's order) from parameter `first` on;
// the context as NULL (kept as stored) unless `with_context`.
Statement& bind_lead_state(Statement& s, int first, const Lead& l, bool with_context) {
  return s.bind(first + 0, Kept{to_string(l.status)})
      .bind(first + 1, kept(l.current_node_id))
      .bind(first + 2, l.stalled ? 1 : 0)
      .bind(first + 3, Kept{to_string(l.wait_kind)})
      .bind(first + 4, l.attempt)
      .bind(first + 5, kept(l.call_id))
      .bind(first + 6, l.call_count)
      .bind(first + 7, with_context ? std::optional(l.context.dump()) : std::nullopt)
      .bind(first + 8, l.next_action_at)
      .bind(first + 9, l.entered_at)
      .bind(first + 10, l.updated_at);
}

// Binds a lead row in kInsertLeadRow's order: the lead, its state, its enrolment.
void bind_lead_row(Statement& s, int first, const Lead& l) {
  s.bind(first + 0, kept(l.id))
      .bind(first + 1, kept(l.org_id))
      .bind(first + 2, kept(l.workflow_id))
      .bind(first + 3, kept(l.phone_number))
      .bind(first + 4, l.variables.dump());
  bind_lead_state(s, first + 5, l, true)
      .bind(first + 16, l.enrolled_at)
      .bind(first + 17, l.created_at)
      .bind(first + 18, dump_or_null(l.consent));
}

// Updates the rows of `items` on SQLite: those whose key the transaction read, 32 per
// statement (`by_key`, a VALUES list of the key and `columns` values, joined on seq); any
// other by its id (`by_id`, the id bound after the values). `bind(s, first, item)` binds an
// item's values from parameter `first` on.
template <typename Item, typename Bind>
void update_rows(Connection& conn, std::string_view by_key, std::string_view by_id, int columns,
                 const std::vector<const Item*>& items, const RowKeys& rows, Bind bind) {
  std::vector<std::pair<std::int64_t, const Item*>> keyed;
  keyed.reserve(items.size());
  for (const Item* item : items) {
    if (const auto row = rows.find(item->id); row != rows.end()) {
      keyed.emplace_back(row->second, item);
    } else {
      auto s = conn.prepare(by_id);
      bind(s, 1, *item).bind(columns + 1, item->id).exec();
    }
  }
  write_values(conn, by_key, keyed,
               [&](Statement& s, int first, const std::pair<std::int64_t, const Item*>& row) {
                 bind(s.bind(first, row.first), first + 1, *row.second);
               });
}

// A history entry and its lead's row key.
using KeyedEntry = std::pair<std::int64_t, const HistoryEntry*>;

void bind_history_row(Statement& s, int first, const KeyedEntry& entry) {
  const HistoryEntry& h = *entry.second;
  s.bind(first + 0, entry.first)
      .bind(first + 1, kept(h.lead_id))
      .bind(first + 2, kept(h.workflow_id))
      .bind(first + 3, kept(h.node_id))
      .bind(first + 4, kept(h.node_type))
      .bind(first + 5, kept(h.label))
      .bind(first + 6, kept(h.status))
      .bind(first + 7, kept(h.outcome))
      .bind(first + 8, kept(h.edge_label))
      .bind(first + 9, kept(h.to_node_id))
      .bind(first + 10, kept(h.call_id))
      .bind(first + 11, h.attempt)
      .bind(first + 12, h.started_at)
      .bind(first + 13, h.ended_at)
      .bind(first + 14, kept(h.reason));
}

void bind_call_row(Statement& s, int first, const Call& c) {
  s.bind(first + 0, kept(c.id))
      .bind(first + 1, kept(c.org_id))
      .bind(first + 2, kept(c.workflow_id))
      .bind(first + 3, kept(c.lead_id))
      .bind(first + 4, kept(c.node_id))
      .bind(first + 5, c.attempt)
      .bind(first + 6, kept(c.to_phone_number))
      .bind(first + 7, kept(c.from_phone_number))
      .bind(first + 8, kept(c.agent_id))
      .bind(first + 9, kept(c.status))
      .bind(first + 10, kept(c.outcome))
      .bind(first + 11, kept(c.end_reason))
      .bind(first + 12, c.duration_seconds)
      .bind(first + 13, dump_or_null(c.postcall_analysis))
      .bind(first + 14, kept(c.transcript))
      .bind(first + 15, kept(c.provider_call_id))
      .bind(first + 16, c.created_at)
      .bind(first + 17, c.ended_at)
      .bind(first + 18, c.agent_version_number)
      .bind(first + 19, c.next_dispatch_at);
}

// Binds the 8 columns of a call's result (kUpdateCallResultById's order) from `first` on.
Statement& bind_call_result(Statement& s, int first, const Call& c) {
  return s.bind(first + 0, kept(c.status))
      .bind(first + 1, kept(c.outcome))
      .bind(first + 2, kept(c.end_reason))
      .bind(first + 3, c.duration_seconds)
      .bind(first + 4, dump_or_null(c.postcall_analysis))
      .bind(first + 5, kept(c.transcript))
      .bind(first + 6, kept(c.provider_call_id))
      .bind(first + 7, c.ended_at);
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

// A lead's id and the columns a step rewrites, as a row object of PostgreSQL's batch writes;
// the context null (kept as stored) unless `with_context`.
Json lead_state_json(const Lead& l, bool with_context) {
  return Json{{"id", l.id},
              {"status", to_string(l.status)},
              {"current_node_id", opt(l.current_node_id)},
              {"stalled", l.stalled ? 1 : 0},
              {"wait_kind", to_string(l.wait_kind)},
              {"attempt", l.attempt},
              {"call_id", opt(l.call_id)},
              {"call_count", l.call_count},
              {"context", with_context ? Json(l.context.dump()) : Json(nullptr)},
              {"next_action_at", opt(l.next_action_at)},
              {"entered_at", opt(l.entered_at)},
              {"updated_at", l.updated_at}};
}

}  // namespace

Json parse_object(std::string_view text) {
  Json j = Json::parse(text, nullptr, false);
  return j.is_object() ? j : Json::object();
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

void insert_leads(Connection& conn, const std::vector<const Lead*>& leads) {
  CountDeltas counts;
  for (const Lead* lead : leads) counts.add(*lead, +1);
  counts.write(conn);
  if (!conn.dialect().postgres()) {
    write_values(conn, kInsertLeadRow, leads,
                 [](Statement& s, int first, const Lead* lead) { bind_lead_row(s, first, *lead); });
    return;
  }
  write_rows(conn, kInsertLeads, leads, [](const Lead* l) {
    Json row = lead_state_json(*l, true);
    row["org_id"] = l->org_id;
    row["workflow_id"] = l->workflow_id;
    row["phone_number"] = l->phone_number;
    row["variables"] = l->variables.dump();
    row["enrolled_at"] = l->enrolled_at;
    row["created_at"] = l->created_at;
    row["consent"] = opt(dump_or_null(l->consent));
    return row;
  });
}

void update_lead_states(Connection& conn, const std::vector<Lead>& leads, const RowKeys& rows) {
  const std::vector<const Lead*> finals = last_writes(leads);
  // Changed by any of the lead's writes (the last holds them as they end).
  std::unordered_set<std::string_view> variables_changed, context_changed;
  for (const Lead& lead : leads) {
    if (lead.variables_changed) variables_changed.insert(lead.id);
    if (!lead.context_unchanged) context_changed.insert(lead.id);
  }
  if (!conn.dialect().postgres()) {
    for (const Lead* lead : finals)
      if (variables_changed.contains(lead->id))
        conn.prepare(kUpdateLeadVariables).bind(1, lead->variables.dump()).bind(2, lead->id).exec();
    update_rows(conn, kUpdateLeadStatesByKey, kUpdateLeadStateById, 11, finals, rows,
                [&](Statement& s, int first, const Lead& l) -> Statement& {
                  return bind_lead_state(s, first, l, context_changed.contains(l.id));
                });
    return;
  }
  write_rows(conn, kUpdateLeadStates, finals, [&](const Lead* l) {
    Json row = lead_state_json(*l, context_changed.contains(l->id));
    row["variables"] =
        variables_changed.contains(l->id) ? Json(l->variables.dump()) : Json(nullptr);
    return row;
  });
}

LeadStateColumns::LeadStateColumns(const Lead& lead)
    : status(lead.status),
      current_node_id(lead.current_node_id),
      stalled(lead.stalled),
      wait_kind(lead.wait_kind),
      attempt(lead.attempt),
      call_id(lead.call_id),
      call_count(lead.call_count),
      next_action_at(lead.next_action_at),
      entered_at(lead.entered_at),
      variables_changed(lead.variables_changed) {}

void update_lead_contexts(Connection& conn, const std::vector<Lead>& leads, const RowKeys& rows) {
  const std::vector<const Lead*> finals = last_writes(leads);
  if (!conn.dialect().postgres()) {
    update_rows(conn, kUpdateLeadContextsByKey, kUpdateLeadContextById, 2, finals, rows,
                [](Statement& s, int first, const Lead& l) -> Statement& {
                  return s.bind(first, l.context.dump()).bind(first + 1, l.updated_at);
                });
    return;
  }
  write_rows(conn, kUpdateLeadContexts, finals, [](const Lead* l) {
    return Json{{"id", l->id}, {"context", l->context.dump()}, {"updated_at", l->updated_at}};
  });
}

std::int64_t lead_key(Connection& conn, const RowKeys& read, const std::string& lead_id) {
  if (const auto row = read.find(lead_id); row != read.end()) return row->second;
  auto s = conn.prepare(kLeadKey).bind(1, lead_id);
  if (!s.step()) throw StoreError("lead " + lead_id + " has no row");
  return s.integer(0);
}

void insert_history(Connection& conn, const std::vector<HistoryEntry>& entries,
                    const RowKeys& leads) {
  std::vector<KeyedEntry> keyed;
  keyed.reserve(entries.size());
  for (const HistoryEntry& h : entries) keyed.emplace_back(lead_key(conn, leads, h.lead_id), &h);
  if (!conn.dialect().postgres()) {
    write_values(conn, kInsertHistoryRow, keyed, bind_history_row);
    return;
  }
  write_rows(conn, kInsertHistory, keyed, [](const KeyedEntry& entry) {
    const HistoryEntry& h = *entry.second;
    return Json{{"lead_seq", entry.first},
                {"lead_id", h.lead_id},
                {"workflow_id", h.workflow_id},
                {"node_id", h.node_id},
                {"node_type", h.node_type},
                {"label", h.label},
                {"status", h.status},
                {"outcome", opt(h.outcome)},
                {"edge_label", opt(h.edge_label)},
                {"to_node_id", opt(h.to_node_id)},
                {"call_id", opt(h.call_id)},
                {"attempt", opt(h.attempt)},
                {"started_at", h.started_at},
                {"ended_at", opt(h.ended_at)},
                {"reason", opt(h.reason)}};
  });
}

void insert_calls(Connection& conn, const std::vector<Call>& calls) {
  if (!conn.dialect().postgres()) {
    write_values(conn, kInsertCallRow, calls, bind_call_row);
    return;
  }
  write_rows(conn, kInsertCalls, calls, [](const Call& c) {
    return Json{{"id", c.id},
                {"org_id", c.org_id},
                {"workflow_id", c.workflow_id},
                {"lead_id", c.lead_id},
                {"node_id", c.node_id},
                {"attempt", c.attempt},
                {"to_phone_number", c.to_phone_number},
                {"from_phone_number", c.from_phone_number},
                {"agent_id", c.agent_id},
                {"status", c.status},
                {"outcome", opt(c.outcome)},
                {"end_reason", opt(c.end_reason)},
                {"duration_seconds", opt(c.duration_seconds)},
                {"postcall_analysis", opt(dump_or_null(c.postcall_analysis))},
                {"transcript", opt(c.transcript)},
                {"provider_call_id", opt(c.provider_call_id)},
                {"created_at", c.created_at},
                {"ended_at", opt(c.ended_at)},
                {"agent_version_number", opt(c.agent_version_number)},
                {"next_dispatch_at", opt(c.next_dispatch_at)}};
  });
}

void update_call_results(Connection& conn, const std::vector<Call>& calls, const RowKeys& rows) {
  const std::vector<const Call*> results = last_writes(calls);
  if (!conn.dialect().postgres()) {
    update_rows(conn, kUpdateCallResultsByKey, kUpdateCallResultById, 8, results, rows,
                bind_call_result);
    return;
  }
  write_rows(conn, kUpdateCallResults, results, [](const Call* c) {
    return Json{{"id", c->id},
                {"status", c->status},
                {"outcome", opt(c->outcome)},
                {"end_reason", opt(c->end_reason)},
                {"duration_seconds", opt(c->duration_seconds)},
                {"postcall_analysis", opt(dump_or_null(c->postcall_analysis))},
                {"transcript", opt(c->transcript)},
                {"provider_call_id", opt(c->provider_call_id)},
                {"ended_at", opt(c->ended_at)}};
  });
}

void lock_workflow(Connection& conn, std::string_view workflow_id, WorkflowLock mode) {
  if (!conn.dialect().postgres()) return;
  conn.prepare(mode == WorkflowLock::kShare ? "SELECT 1 FROM workflows WHERE id = ? FOR SHARE"
                                            : "SELECT 1 FROM workflows WHERE id = ? FOR UPDATE")
      .bind(1, workflow_id)
      .exec();
}

}  // namespace leadline::store::sql
