// What operations read: readiness and the counts /metrics reports.
#include <sqlite3.h>

#include "store/sqlite/sqlite_store.h"

namespace leadline::store::sqlite {
namespace {

constexpr std::string_view kLeadsByStatus = "SELECT status, count(*) FROM leads GROUP BY status";
constexpr std::string_view kCallsByOutcome =
    "SELECT outcome, count(*) FROM calls WHERE outcome IS NOT NULL GROUP BY outcome";
// The scheduler's claim: leads of running workflows, and leads waiting on a call whatever
// their workflow's status. Walks the per-workflow due index.
constexpr std::string_view kDueLeads =
    "SELECT count(*), min(l.next_action_at) FROM leads l JOIN workflows w ON w.id = l.workflow_id "
    "WHERE l.next_action_at IS NOT NULL AND l.next_action_at <= ? "
    "AND (w.status IN ('active', 'running') OR l.wait_kind = 'call_detached')";
constexpr std::string_view kQueuedCalls = "SELECT count(*) FROM calls WHERE status = 'queued'";
constexpr std::string_view kPendingDeliveries =
    "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'";

}  // namespace

void SqliteStore::ping() {
  // A fresh connection, not a pooled one: pooled connections keep their files open, so they
  // would still answer after the database's directory is gone or its file replaced.
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db, "SELECT 1 FROM organizations LIMIT 1", nullptr, nullptr, nullptr);
  const std::string message = rc == SQLITE_OK ? "" : sqlite3_errmsg(db);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw StoreError("SQLite database does not answer: " + message);
}

OpsCounts SqliteStore::ops_counts(util::Millis now) {
  auto conn = pool_.acquire();
  OpsCounts counts;
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
}

}  // namespace leadline::store::sqlite
