// What operations read: readiness and the counts /metrics reports.
#include "store/sql/sql_store.h"

namespace leadline::store::sql {
namespace {

constexpr std::string_view kLeadsByStatus =
    "SELECT status, count(*) FROM lead_states GROUP BY status";
constexpr std::string_view kCallsByOutcome =
    "SELECT outcome, count(*) FROM call_results WHERE outcome IS NOT NULL GROUP BY outcome";
// The scheduler's claim: leads of running workflows, and leads waiting on a call whatever
// their workflow's status. Walks the per-workflow due index.
constexpr std::string_view kDueLeads =
    "SELECT count(*), min(s.next_action_at) FROM lead_states s "
    "JOIN workflows w ON w.id = s.workflow_id "
    "WHERE s.next_action_at IS NOT NULL AND s.next_action_at <= ? "
    "AND (w.status IN ('active', 'running') OR s.wait_kind = 'call_detached')";
constexpr std::string_view kQueuedCalls = "SELECT count(*) FROM calls WHERE status = 'queued'";
constexpr std::string_view kPendingDeliveries =
    "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'";

}  // namespace

void SqlStore::ping() {
  if (check_fresh_) return check_fresh_();
  // One try on a pooled connection, no reconnect-and-retry: readiness reports what a
  // request would meet now. Not a prepared statement: a plan prepared earlier would still
  // run against a table that has since been renamed or dropped.
  auto conn = pool_.acquire();
  conn->exec_script("SELECT 1 FROM organizations LIMIT 1");
}

OpsCounts SqlStore::ops_counts(util::Millis now) {
  return pool_.with_retry([&](Connection& c) {
    Connection* conn = &c;
    OpsCounts counts;
    counts.sqlite_memory = conn->library_memory();
    {
      auto s = conn->prepare(kLeadsByStatus);
      while (s.step()) counts.leads_by_status.emplace_back(s.text(0), s.integer(1));
    }
    {
      auto s = conn->prepare(kCallsByOutcome);
      while (s.step()) counts.calls_by_outcome.emplace_back(s.text(0), s.integer(1));
    }
    {
      auto s = conn->prepare(kDueLeads).bind(1, now);
      if (s.step()) {
        counts.due_leads = s.integer(0);
        if (!s.is_null(1)) counts.oldest_due = s.integer(1);
      }
    }
    {
      auto s = conn->prepare(kQueuedCalls);
      if (s.step()) counts.queued_calls = s.integer(0);
    }
    {
      auto s = conn->prepare(kPendingDeliveries);
      if (s.step()) counts.pending_deliveries = s.integer(0);
    }
    return counts;
  });
}

}  // namespace leadline::store::sql
