// Calls placed through an external provider: the dispatcher's claims and results, and the
// provider's reports (spec §6.1). With SQLite's one writer at a time, each transaction sees
// every committed claim, so the concurrency caps hold without further locking. On PostgreSQL
// several processes may dispatch: a claim takes a transaction-scoped advisory lock, so claims run
// one at a time and each sees the calls the others claimed (the concurrency caps hold across
// processes). Writers that touch a call and its lead lock the lead first, as the engine's batches
// do, so they cannot deadlock with them and a report and a timeout of the same call are ordered.
#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "store/sql/column_arrays.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"
#include "store/sql/suppressions.h"

namespace leadline::store::sql {
namespace {
using domain::Call;

// Due queued calls of active workflows, and those whose lead (or workflow) is gone or ended:
// the dispatcher cancels those.
const SqlText kDueCalls([](const Dialect& d) {
  return "SELECT " + std::string(kCallColumns) +
         ", l.variables, l.status FROM calls q JOIN call_rows c ON c.seq = q.seq "
         "LEFT JOIN lead_rows l ON l.id = q.lead_id LEFT JOIN workflows w ON w.id = q.workflow_id "
         "WHERE q.status = 'queued' AND q.next_dispatch_at <= ? AND (w.status IN ('active', "
         "'running') OR l.id IS NULL OR w.id IS NULL OR l.status IN ('completed', 'dropped', "
         "'removed', 'cancelled', 'failed')) "
         "ORDER BY q.next_dispatch_at LIMIT ?" +
         d.for_update_skip_locked("q");
});
// Calls count against the caps from their claim until their result.
constexpr std::string_view kInFlight =
    "SELECT (SELECT count(*) FROM calls_in_flight) + (SELECT count(*) FROM "
    "calls WHERE status = 'queued' AND claimed_until IS NOT NULL AND claimed_until > ?)";
constexpr std::string_view kInFlightOf =
    "SELECT (SELECT count(*) FROM calls_in_flight WHERE workflow_id = ?) + "
    "(SELECT count(*) FROM calls WHERE status = 'queued' AND workflow_id = ? AND claimed_until "
    "IS NOT NULL AND claimed_until > ?)";
const SqlText kWorkflowSettings([](const Dialect& d) {
  return "SELECT id, settings FROM workflows WHERE id IN (" + d.json_strings("?") + ")";
});
// The queued calls among those whose ids (a JSON array) are bound here.
std::string queued_among(const Dialect& d) {
  return "id IN (" + d.json_strings("?") + ") AND status = 'queued'";
}
const SqlText kClaim([](const Dialect& d) {
  return "UPDATE calls SET claimed_until = ?, next_dispatch_at = ?, "
         "dispatch_attempts = dispatch_attempts + 1 WHERE " +
         queued_among(d);
});
// Ends queued calls unsent: their result (end reason, then time, then the ids), then their
// status, which takes them out of the queue, and the provider's error if one refused them
// (the error, then the ids).
const SqlText kUnsentResults([](const Dialect& d) {
  return "INSERT INTO call_results (call_seq, status, outcome, end_reason, ended_at) "
         "SELECT seq, 'failed', 'FAILED', ?, ? FROM calls WHERE " +
         queued_among(d) + " ON CONFLICT (call_seq) DO NOTHING";
});
const SqlText kDequeueUnsent([](const Dialect& d) {
  return "UPDATE calls SET status = 'failed', dispatch_error = coalesce(?, dispatch_error), "
         "next_dispatch_at = NULL, claimed_until = NULL WHERE " +
         queued_among(d);
});
// Sent calls (their ids) fly until their result; before their status leaves 'queued'. On
// PostgreSQL a provider's report and the sender's write may both start a call's flight at once.
const SqlText kStartFlights([](const Dialect& d) {
  return "INSERT INTO calls_in_flight (call_seq, workflow_id) SELECT seq, workflow_id FROM calls "
         "WHERE " +
         queued_among(d) + " ON CONFLICT DO NOTHING";
});
// SQLite: one statement per placed or retried call.
constexpr std::string_view kPlacedRow =
    "UPDATE calls SET status = 'initiated', provider_call_id = coalesce(?, provider_call_id), "
    "dispatched_at = ?, next_dispatch_at = NULL, claimed_until = NULL, dispatch_error = NULL "
    "WHERE id = ? AND status = 'queued'";
constexpr std::string_view kRetryRow =
    "UPDATE calls SET next_dispatch_at = ?, claimed_until = NULL, dispatch_error = ? "
    "WHERE id = ? AND status = 'queued'";
// PostgreSQL: placed and retried calls travel as arrays (column_arrays.h), one statement each
// per batch.
constexpr std::string_view kPlaced =
    "UPDATE calls c SET status = 'initiated', "
    "provider_call_id = coalesce(v.provider_call_id, c.provider_call_id), "
    "dispatched_at = v.dispatched_at, next_dispatch_at = NULL, claimed_until = NULL, "
    "dispatch_error = NULL FROM unnest(?::text[], ?::text[], ?::bigint[]) "
    "AS v(id, provider_call_id, dispatched_at) WHERE c.id = v.id AND c.status = 'queued'";
constexpr std::string_view kRetry =
    "UPDATE calls c SET next_dispatch_at = v.next_dispatch_at, claimed_until = NULL, "
    "dispatch_error = v.dispatch_error FROM unnest(?::text[], ?::bigint[], ?::text[]) "
    "AS v(id, next_dispatch_at, dispatch_error) WHERE c.id = v.id AND c.status = 'queued'";
// Makes the leads waiting on the calls (their ids, bound twice) due now: their steps then
// read the calls' outcomes.
const SqlText kWakeLeads([](const Dialect& d) {
  return "UPDATE lead_states SET next_action_at = ? WHERE lead_seq IN (SELECT l.seq FROM calls c "
         "JOIN leads l ON l.id = c.lead_id WHERE c.id IN (" +
         d.json_strings("?") + ")) AND call_id IN (" + d.json_strings("?") +
         ") AND wait_kind IN ('call', 'call_detached')";
});
// PostgreSQL: the lead is locked before its call changes (see above).
constexpr std::string_view kLockLeadOfCall =
    "SELECT s.lead_seq FROM lead_states s WHERE s.lead_seq = (SELECT l.seq FROM calls c "
    "JOIN leads l ON l.id = c.lead_id WHERE c.id = ?) FOR UPDATE";
constexpr std::int64_t kClaimLock = 7265617;
constexpr std::string_view kNextDispatch =
    "SELECT min(next_dispatch_at) FROM calls WHERE status = 'queued'";

const std::string& call_by_sql(std::string_view column) {
  static const std::string by_id =
      "SELECT " + std::string(kCallColumns) + " FROM call_rows c WHERE c.id = ?";
  static const std::string by_provider =
      "SELECT " + std::string(kCallColumns) + " FROM call_rows c WHERE c.provider_call_id = ?";
  return column == "id" ? by_id : by_provider;
}
// An idempotency key names its call by (lead, node, attempt): the calls' unique key.
const std::string& call_by_attempt_sql() {
  static const std::string sql = "SELECT " + std::string(kCallColumns) +
                                 " FROM call_rows c WHERE c.lead_id = ? AND c.node_id = ? AND "
                                 "c.attempt = ?";
  return sql;
}
// A late report fills what the result lacks.
constexpr std::string_view kFillDetails =
    "UPDATE call_results SET postcall_analysis = coalesce(postcall_analysis, ?), "
    "transcript = coalesce(transcript, ?) WHERE call_seq = (SELECT seq FROM calls WHERE id = ?)";
// A report of a call we had not seen leave (still queued: its sender's write is late) or
// without the provider's id: what it tells about the sending. `status` is the call's own
// once it is no longer queued ('initiated', or the final status of a call that ended unsent).
constexpr std::string_view kReportedSent =
    "UPDATE calls SET provider_call_id = coalesce(provider_call_id, ?), "
    "status = CASE status WHEN 'queued' THEN ? ELSE status END, "
    "dispatched_at = coalesce(dispatched_at, ?), next_dispatch_at = NULL, claimed_until = NULL "
    "WHERE id = ?";

Json id_array(const std::vector<std::string>& ids) { return Json(ids); }

// `call_ids` is a JSON array of call ids (id_array).
void wake_leads(Connection& conn, const std::string& call_ids, util::Millis now) {
  conn.prepare(kWakeLeads(conn.dialect())).bind(1, now).bind(2, call_ids).bind(3, call_ids).exec();
}

// Ends those of the calls still queued without sending them (`dispatch_error`: a provider
// refused them), and wakes their leads to take the result.
void end_unsent(Connection& conn, const std::vector<std::string>& call_ids,
                std::string_view end_reason, util::Millis now,
                std::optional<std::string_view> dispatch_error = std::nullopt) {
  const std::string ids = id_array(call_ids).dump();
  conn.prepare(kUnsentResults(conn.dialect())).bind(1, end_reason).bind(2, now).bind(3, ids).exec();
  if (conn.prepare(kDequeueUnsent(conn.dialect())).bind(1, dispatch_error).bind(2, ids).exec() > 0)
    wake_leads(conn, ids, now);
}

// What a provider's report tells about the sending of `call`, written only where the call's
// row lacks it (most reports find the call sent, with the provider's id: nothing to write).
// A call still queued leaves the queue with `status`.
void record_sending(Connection& conn, const Call& call,
                    const std::optional<std::string>& provider_call_id, std::string_view status,
                    util::Millis now) {
  if (call.status != "queued" && call.dispatched_at && (call.provider_call_id || !provider_call_id))
    return;
  conn.prepare(kReportedSent)
      .bind(1, provider_call_id)
      .bind(2, status)
      .bind(3, now)
      .bind(4, call.id)
      .exec();
}

void lock_lead_of_call(Connection& conn, const std::string& call_id) {
  if (conn.dialect().postgres()) conn.prepare(kLockLeadOfCall).bind(1, call_id).exec();
}

// Placed and retried calls: each as one statement per row (SQLite) or as arrays.
void record_placed_and_retried(Connection& conn, const std::vector<DispatchResult>& results,
                               util::Millis now) {
  std::vector<std::string> placed_ids;
  for (const auto& r : results)
    if (r.kind == DispatchResult::kPlaced) placed_ids.push_back(r.call_id);
  if (!placed_ids.empty())
    conn.prepare(kStartFlights(conn.dialect())).bind(1, id_array(placed_ids).dump()).exec();
  if (!conn.dialect().postgres()) {
    for (const auto& r : results) {
      if (r.kind == DispatchResult::kPlaced)
        conn.prepare(kPlacedRow).bind(1, r.provider_call_id).bind(2, now).bind(3, r.call_id).exec();
      else if (r.kind == DispatchResult::kRetry)
        conn.prepare(kRetryRow).bind(1, r.retry_at).bind(2, r.error).bind(3, r.call_id).exec();
    }
    return;
  }
  std::vector<const DispatchResult*> placed, retried;
  for (const auto& r : results) {
    if (r.kind == DispatchResult::kPlaced) placed.push_back(&r);
    if (r.kind == DispatchResult::kRetry) retried.push_back(&r);
  }
  write_arrays(conn, kPlaced, placed, [&](ColumnArrays& row, const DispatchResult* r) {
    row.add(r->call_id).add(r->provider_call_id).add(now);
  });
  write_arrays(conn, kRetry, retried, [](ColumnArrays& row, const DispatchResult* r) {
    row.add(r->call_id).add(r->retry_at).add(r->error);
  });
}
}  // namespace

std::vector<QueuedCall> SqlStore::claim_calls(util::Millis now, size_t limit,
                                              util::Millis lease_millis,
                                              const DispatchChooser& choose) {
  return pool_.with_retry([&](Connection& c) {
    Connection* conn = &c;
    return in_transaction(*conn, [&] {
      conn->lock_until_commit(kClaimLock);
      DispatchSlate slate;
      {
        auto s = conn->prepare(kDueCalls(conn->dialect()))
                     .bind(1, now)
                     .bind(2, static_cast<std::int64_t>(limit));
        while (s.step()) {
          QueuedCall queued;
          queued.call = read_call(s);
          const auto variables = s.opt_text(kCallColumnCount);
          if (variables) queued.variables = Json::parse(*variables, nullptr, false);
          if (!queued.variables.is_object()) queued.variables = Json::object();
          const auto status = s.opt_text(kCallColumnCount + 1);
          const auto lead_status = status ? domain::lead_status_from_string(*status) : std::nullopt;
          queued.lead_terminal = !lead_status || domain::is_terminal(*lead_status);
          slate.due.push_back(std::move(queued));
        }
      }
      if (slate.due.empty()) return std::vector<QueuedCall>{};
      // The list's last word before a call leaves: a number listed since its call was queued
      // (an opt-out in another workflow, an entry added through the API) is never called.
      if (auto listed = suppressed_calls(*conn, slate.due, now); !listed.empty()) {
        end_unsent(*conn, listed, domain::kSuppressedEndReason, now);
        const std::unordered_set<std::string_view> ended(listed.begin(), listed.end());
        std::erase_if(slate.due, [&](const QueuedCall& q) { return ended.contains(q.call.id); });
        if (slate.due.empty()) return std::vector<QueuedCall>{};
      }
      slate.in_flight = [&] {
        auto s = conn->prepare(kInFlight).bind(1, now);
        return s.step() ? s.integer(0) : std::int64_t{0};
      };
      slate.in_flight_of = [&](const std::string& workflow_id) {
        auto s = conn->prepare(kInFlightOf).bind(1, workflow_id).bind(2, workflow_id).bind(3, now);
        return s.step() ? s.integer(0) : std::int64_t{0};
      };
      {
        std::vector<std::string> workflow_ids;
        for (const auto& q : slate.due) workflow_ids.push_back(q.call.workflow_id);
        auto s = conn->prepare(kWorkflowSettings(conn->dialect()))
                     .bind(1, id_array(workflow_ids).dump());
        while (s.step()) {
          Json settings = Json::parse(s.text(1), nullptr, false);
          if (!settings.is_object()) settings = Json::object();
          slate.settings_by_workflow[s.text(0)] = std::move(settings);
        }
      }
      const DispatchChoice choice = choose(slate);
      if (!choice.cancel.empty()) end_unsent(*conn, choice.cancel, "cancelled", now);
      std::vector<QueuedCall> claimed;
      if (!choice.send.empty()) {
        conn->prepare(kClaim(conn->dialect()))
            .bind(1, now + lease_millis)
            .bind(2, now + lease_millis)
            .bind(3, id_array(choice.send).dump())
            .exec();
        const std::unordered_set<std::string_view> sent(choice.send.begin(), choice.send.end());
        for (auto& queued : slate.due)
          if (sent.contains(queued.call.id)) {
            ++queued.call.dispatch_attempts;
            claimed.push_back(std::move(queued));
          }
      }
      return claimed;
    });
  });
}

void SqlStore::record_dispatch_results(const std::vector<DispatchResult>& results,
                                       util::Millis now) {
  if (results.empty()) return;
  pool_.with_retry([&](Connection& c) {
    Connection* conn = &c;
    in_transaction(*conn, [&] {
      for (const auto& r : results) {
        if (r.kind != DispatchResult::kFailed) continue;
        lock_lead_of_call(*conn, r.call_id);
        end_unsent(*conn, {r.call_id}, r.end_reason, now, r.error);
      }
      record_placed_and_retried(*conn, results, now);
    });
  });
}

std::optional<util::Millis> SqlStore::next_dispatch_at() {
  auto conn = pool_.acquire();
  auto s = conn->prepare(kNextDispatch);
  if (s.step() && !s.is_null(0)) return s.integer(0);
  return std::nullopt;
}

CallReportResult SqlStore::record_call_report(const domain::CallReport& report, util::Millis now) {
  return pool_.with_retry([&](Connection& c) {
    Connection* conn = &c;
    return in_transaction(*conn, [&] {
      std::optional<Call> call;
      auto find = [&](std::string_view column, const std::optional<std::string>& value) {
        if (call || !value) return;
        auto s = conn->prepare(call_by_sql(column)).bind(1, *value);
        if (s.step()) call = read_call(s);
      };
      find("id", report.call_id);
      find("provider_call_id", report.provider_call_id);
      find("id", report.provider_call_id);  // a provider that uses the id we sent as its own
      if (!call && report.idempotency_key) {
        if (auto key = domain::parse_call_idempotency_key(*report.idempotency_key)) {
          auto s = conn->prepare(call_by_attempt_sql())
                       .bind(1, key->lead_id)
                       .bind(2, key->node_id)
                       .bind(3, key->attempt);
          if (s.step()) call = read_call(s);
        }
      }
      if (!call) return CallReportResult::kUnknownCall;
      // Lock the lead, then read the call again: a batch that stepped the lead meanwhile (a
      // timeout) is committed by now and its result is what this report finds.
      if (conn->dialect().postgres()) {
        lock_lead_of_call(*conn, call->id);
        auto s = conn->prepare(call_by_sql("id")).bind(1, call->id);
        if (s.step()) call = read_call(s);
      }
      const auto analysis = dump_or_null(report.postcall_analysis);
      if (call->outcome) {
        conn->prepare(kFillDetails)
            .bind(1, analysis)
            .bind(2, report.transcript)
            .bind(3, call->id)
            .exec();
        if (!call->provider_call_id && report.provider_call_id)
          record_sending(*conn, *call, report.provider_call_id, call->status, now);
        // A late analysis may carry the opt-out the outcome report did not.
        if (!report.postcall_analysis.is_null()) {
          call->postcall_analysis = report.postcall_analysis;
          add_opt_out(*conn, *call, now);
        }
        return CallReportResult::kAlreadyEnded;
      }
      if (!report.outcome) {
        if (call->status == "queued")
          conn->prepare(kStartFlights(conn->dialect())).bind(1, id_array({call->id}).dump()).exec();
        record_sending(*conn, *call, report.provider_call_id, "initiated", now);
        return CallReportResult::kProgress;
      }
      Call ended = *call;
      ended.status = domain::call_status_for_outcome(*report.outcome);
      ended.outcome = report.outcome;
      ended.end_reason = report.end_reason;
      ended.duration_seconds = report.duration_seconds;
      ended.postcall_analysis = report.postcall_analysis;
      ended.transcript = report.transcript;
      ended.ended_at = now;
      record_call_results(*conn, {ended});
      record_sending(*conn, *call, report.provider_call_id, ended.status, now);
      wake_leads(*conn, id_array({call->id}).dump(), now);
      add_opt_out(*conn, ended, now);
      return CallReportResult::kRecorded;
    });
  });
}

}  // namespace leadline::store::sql
