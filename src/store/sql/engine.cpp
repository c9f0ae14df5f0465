// The engine's side of the store: claiming due leads and applying a batch of steps in the
// same transaction, so a crash leaves each lead either before or after its step.
//
// On SQLite the claiming transaction holds the single write lock, so nobody else steps a lead
// before it commits. On PostgreSQL several processes share the work. A batch claims its leads with
// FOR UPDATE SKIP LOCKED on their state rows (lead_states; every statement that changes a lead
// locks that row first): the row locks are the lease, owned by the claiming transaction, so
// another process skips those leads until the batch commits (they are no longer due) or rolls back
// (they are due again). The lease expires with the transaction: a process that dies loses its
// connection and the server rolls its batch back at once; one that hangs mid-batch is cut off by
// idle_in_transaction_session_timeout (kLeaseTimeout in postgres_driver.cpp). That is also the
// fencing: a session the server ended can no longer commit, so a stale owner's writes never
// land. Nothing is held between transactions, so no lease is stored (migration 0014 dropped
// the unused lease_owner/lease_until columns). HTTP jobs and calls are created by the batch's
// writes (a call's idempotency key is UNIQUE), so they exist once per committed step, whichever
// process ran it.
#include <unordered_map>

#include "store/sql/column_arrays.h"
#include "store/sql/contacts.h"
#include "store/sql/lead_counts.h"
#include "store/sql/rows.h"
#include "store/sql/split_counts.h"
#include "store/sql/sql_store.h"
#include "store/sql/suppressions.h"

namespace leadline::store::sql {
namespace {
constexpr std::string_view kActiveWorkflows =
    "SELECT id FROM workflows WHERE status IN ('active', 'running')";

// The workflow's status and version are read by the claim itself, not locked: a share lock
// held by every batch would starve pause/cancel/edits (FOR UPDATE on the row) while several
// processes run batches back to back. A lifecycle change that commits while a batch runs waits
// for the batch's lead locks and then re-evaluates the leads it changes, so it lands after the
// batch, as with SQLite's single writer.
//
// On PostgreSQL a claim is two statements: the first locks the due leads' state rows and
// answers their keys; the second reads those leads whole. A lead that another process stepped
// after the first statement's snapshot (and that is due again at once) is locked in its newest
// state, but a join in that statement would pair it with its other rows (context, variables)
// as the snapshot had them, before that step: the second statement sees everything committed.
// Locking first also spares the look-ups of the leads a claim skips (SKIP LOCKED: another
// batch holds the head of the due index, two of every three leads a claim met with 2 lanes).
// SQLite has one writer, so nothing commits during a claim: one statement does both. The
// calls are read later for the same reason.
//
// Both claims answer the workflow's status and version, the lead, and its key. `due` is the
// condition on the state rows `s` of the leads to claim.
std::string claim_sql(const Dialect& d, std::string_view due) {
  const std::string order = " ORDER BY s.next_action_at LIMIT ?";
  if (d.postgres())
    return "SELECT s.lead_seq FROM lead_states s WHERE " + std::string(due) + order +
           d.for_update_skip_locked("s");
  return "SELECT w.status, w.version, " + std::string(kLeadAndStateColumns) + ", s.lead_seq FROM " +
         std::string(kLeadTables) + " JOIN workflows w ON w.id = s.workflow_id WHERE " +
         std::string(due) + order;
}
// Due leads of a workflow that is active (its id bound before and after the time).
const SqlText kClaimInWorkflow([](const Dialect& d) {
  return claim_sql(d,
                   "s.workflow_id = ? AND s.next_action_at <= ? AND s.wait_kind != "
                   "'call_detached' AND EXISTS (SELECT 1 FROM workflows "
                   "WHERE id = ? AND status IN ('active', 'running'))");
});
// Leads waiting on a call whatever their workflow's status.
const SqlText kClaimDetached([](const Dialect& d) {
  return claim_sql(d, "s.wait_kind = 'call_detached' AND s.next_action_at <= ?");
});
// PostgreSQL: the leads a claim locked, by their keys (an array).
const std::string kClaimedLeads =
    "SELECT w.status, w.version, " + std::string(kLeadColumns) +
    ", l.seq FROM lead_rows l JOIN workflows w ON w.id = l.workflow_id "
    "WHERE l.seq = ANY(?::bigint[]) ORDER BY l.next_action_at";
constexpr std::string_view kNextDueInWorkflow =
    "SELECT min(next_action_at) FROM lead_states WHERE workflow_id = ? "
    "AND next_action_at IS NOT NULL";
constexpr std::string_view kNextDueDetached =
    "SELECT min(next_action_at) FROM lead_states WHERE wait_kind = 'call_detached'";
const SqlText kLeadForAction([](const Dialect& d) {
  return "SELECT coalesce(c.context, '{}'), s.lead_seq FROM " + std::string(kLeadTables) +
         " WHERE l.id = ? AND s.current_node_id = ? AND s.wait_kind = 'http' "
         "AND s.status = 'active'" +
         d.for_update_of("s");
});
constexpr std::string_view kSetActionDue =
    "UPDATE lead_states SET wait_kind = 'none', next_action_at = ?, updated_at = ? "
    "WHERE lead_seq = ?";

const SqlText kCallsById([](const Dialect& d) {
  return "SELECT " + std::string(kCallColumns) + ", c.seq FROM call_rows c WHERE c.id IN (" +
         d.json_strings("?") + ")";
});

// Adds the leads of a claim's rows (see claim_sql) to `batch`. `of_active_workflow`: the claim
// found their workflow active, and their steps go by that (kClaimInWorkflow).
void read_claimed(Statement& s, bool of_active_workflow, std::vector<DueLead>& batch,
                  RowKeys& rows) {
  while (s.step()) {
    DueLead& due = batch.emplace_back();
    due.workflow_status = of_active_workflow
                              ? domain::WorkflowStatus::kActive
                              : domain::workflow_status_from_string(s.text(0)).value_or(
                                    domain::WorkflowStatus::kCancelled);
    due.workflow_version = s.integer(1);
    due.lead = read_lead(s, 2);
    rows.emplace(due.lead.id, s.integer(2 + kLeadColumnCount));
  }
}

// Runs a claim, its parameters bound by `bind`, and adds the leads it claimed to `batch`.
template <typename Bind>
void claim(Connection& conn, const SqlText& sql, bool of_active_workflow,
           std::vector<DueLead>& batch, RowKeys& rows, Bind bind) {
  auto s = conn.prepare(sql(conn.dialect()));
  bind(s);
  if (!conn.dialect().postgres()) return read_claimed(s, of_active_workflow, batch, rows);
  ColumnArrays keys(1);
  bool any = false;
  while (s.step()) {
    keys.add(s.integer(0)).end_row();
    any = true;
  }
  if (!any) return;
  auto leads = conn.prepare(kClaimedLeads);
  read_claimed(keys.bind(leads), of_active_workflow, batch, rows);
}

// Attaches to each claimed lead the row of the call it waits for.
void attach_calls(Connection& conn, std::vector<DueLead>& batch, RowKeys& rows) {
  Json ids = Json::array();
  for (const auto& due : batch)
    if (due.lead.call_id) ids.push_back(*due.lead.call_id);
  if (ids.empty()) return;
  std::unordered_map<std::string, domain::Call> calls;
  auto s = conn.prepare(kCallsById(conn.dialect())).bind(1, ids.dump());
  while (s.step()) {
    auto call = read_call(s);
    rows.emplace(call.id, s.integer(kCallColumnCount));
    calls.emplace(call.id, std::move(call));
  }
  for (auto& due : batch)
    if (due.lead.call_id)
      if (auto it = calls.find(*due.lead.call_id); it != calls.end()) due.call = it->second;
}
// The count changes of a batch's steps: each written lead leaves the state it was in.
CountDeltas count_moves(const std::vector<DueLead>& batch,
                        const std::vector<domain::Lead>& written) {
  std::unordered_map<std::string_view, const domain::Lead*> before;
  for (const auto& due : batch) before.emplace(due.lead.id, &due.lead);
  CountDeltas counts;
  for (const auto& lead : written) {
    auto it = before.find(lead.id);
    if (it == before.end()) throw StoreError("a step wrote lead " + lead.id + ", not claimed");
    counts.add(*it->second, -1);
    counts.add(lead, +1);
    it->second = &lead;  // a lead written twice moves on from its previous write
  }
  return counts;
}
}  // namespace

size_t SqlStore::run_due_steps(util::Millis now, size_t limit, const StepFunction& step,
                               const ContactLookback& lookback) {
  return pool_.with_retry([&](Connection& c) {
    Connection* conn = &c;
    return in_transaction(*conn, [&] {
      std::vector<DueLead> batch;
      RowKeys lead_rows, call_rows;
      claim(*conn, kClaimDetached, false, batch, lead_rows,
            [&](Statement& s) { s.bind(1, now).bind(2, static_cast<std::int64_t>(limit)); });
      std::vector<std::string> active;
      {
        auto s = conn->prepare(kActiveWorkflows);
        while (s.step()) active.push_back(s.text(0));
      }
      for (const auto& workflow_id : active) {
        if (batch.size() >= limit) break;
        claim(*conn, kClaimInWorkflow, true, batch, lead_rows, [&](Statement& s) {
          s.bind(1, workflow_id)
              .bind(2, now)
              .bind(3, workflow_id)
              .bind(4, static_cast<std::int64_t>(limit - batch.size()));
        });
      }
      if (batch.empty()) return size_t{0};
      attach_calls(*conn, batch, call_rows);
      attach_org_settings(*conn, batch);
      // Locks the capped numbers on PostgreSQL, so before the do-not-call list is read: an
      // opt-out committed by a batch that held one of them is seen.
      attach_contacts(*conn, batch, lookback, now);
      attach_suppressions(*conn, batch, now);
      const auto subscribers = load_subscribers(*conn);
      set_event_masks(batch, subscribers);
      const StepWrites writes = step(batch);
      insert_calls(*conn, writes.new_calls);
      record_call_results(*conn, writes.finished_calls, call_rows);
      insert_history(*conn, writes.history, lead_rows);
      count_splits(*conn, writes.history, lead_rows);
      upsert_suppressions(*conn, writes.suppressions);
      update_lead_states(*conn, writes.leads, lead_rows);
      count_moves(batch, writes.leads).write(*conn);
      write_events(*conn, writes.events, subscribers);
      return batch.size();
    });
  });
}

std::optional<util::Millis> SqlStore::next_due_at() {
  return pool_.with_retry([&](Connection& c) {
    Connection* conn = &c;
    std::optional<util::Millis> earliest;
    auto consider = [&](Statement& s) {
      if (s.step() && !s.is_null(0) && (!earliest || s.integer(0) < *earliest))
        earliest = s.integer(0);
    };
    std::vector<std::string> active;
    {
      auto s = conn->prepare(kActiveWorkflows);
      while (s.step()) active.push_back(s.text(0));
    }
    for (const auto& id : active) {
      auto s = conn->prepare(kNextDueInWorkflow).bind(1, id);
      consider(s);
    }
    auto s = conn->prepare(kNextDueDetached);
    consider(s);
    return earliest;
  });
}

bool SqlStore::record_action_result(std::string_view lead_id, std::string_view node_id,
                                    const Json& result, util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    auto s = conn->prepare(kLeadForAction(conn->dialect())).bind(1, lead_id).bind(2, node_id);
    if (!s.step()) return false;
    Json context = Json::parse(s.text(0), nullptr, false);
    if (!context.is_object()) context = Json::object();
    context["action_result"] = result;
    context["action_result"]["node_id"] = std::string(node_id);
    const std::int64_t seq = s.integer(1);
    write_lead_context(*conn, seq, context);
    conn->prepare(kSetActionDue).bind(1, now).bind(2, now).bind(3, seq).exec();
    return true;
  });
}

}  // namespace leadline::store::sql
