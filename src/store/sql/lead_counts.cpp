#include "store/sql/lead_counts.h"

namespace leadline::store::sql {
namespace {
const SqlText kAddCount([](const Dialect& d) {
  std::string sql =
      "INSERT INTO lead_counts (workflow_id, status, node_id, class, n) VALUES (?, ?, ?, ?, ?)";
  if (!d.postgres())
    sql += " ON CONFLICT (workflow_id, status, node_id, class) DO UPDATE SET n = n + excluded.n";
  return sql;
});
constexpr std::string_view kDeleteCounts = "DELETE FROM lead_counts WHERE workflow_id = ?";
// lead_class in SQL; migration 0006 recounts every workflow with the same CASE.
const SqlText kCountLeads([](const Dialect& d) {
  const std::string drop_reason = d.postgres() ? "(context::jsonb ->> 'drop_reason')"
                                               : "json_extract(context, '$.drop_reason')";
  return "INSERT INTO lead_counts (workflow_id, status, node_id, class, n) "
         "SELECT workflow_id, status, coalesce(current_node_id, ''), "
         "CASE WHEN status = 'dropped' AND " +
         drop_reason + " = 'suppressed' THEN 5 WHEN status = 'dropped' AND " + drop_reason +
         " = 'consent' THEN 6 WHEN status <> 'active' THEN 0 WHEN stalled = 1 THEN 2 "
         "WHEN wait_kind = 'window' THEN 3 WHEN wait_kind = 'contact_cap' THEN 4 "
         "WHEN wait_kind IN ('delay', 'event') THEN 1 ELSE 0 END, count(*) "
         "FROM lead_rows WHERE workflow_id = ? GROUP BY 1, 2, 3, 4";
});
// Rows of transactions not yet committed are not seen by the DELETE and stay. A second fold
// running at once waits for the rows the first deletes, then skips them: nothing counts twice.
constexpr std::string_view kFoldCounts =
    "WITH gone AS (DELETE FROM lead_counts RETURNING workflow_id, status, node_id, class, n) "
    "INSERT INTO lead_counts (workflow_id, status, node_id, class, n) "
    "SELECT workflow_id, status, node_id, class, sum(n) FROM gone GROUP BY 1, 2, 3, 4 "
    "HAVING sum(n) <> 0";
constexpr std::int64_t kFoldLock = 7306127;

LeadClass lead_class(const domain::Lead& lead) {
  using domain::WaitKind;
  if (lead.status == domain::LeadStatus::kDropped) {
    const auto reason = lead.context.find("drop_reason");
    if (reason == lead.context.end() || !reason->is_string()) return kOther;
    if (*reason == "suppressed") return kDroppedSuppressed;
    if (*reason == "consent") return kDroppedNoConsent;
    return kOther;
  }
  if (lead.status != domain::LeadStatus::kActive) return kOther;
  if (lead.stalled) return kStalled;
  switch (lead.wait_kind) {
    case WaitKind::kDelay:
    case WaitKind::kEvent:
      return kWaiting;
    case WaitKind::kWindow:
      return kWaitingForHours;
    case WaitKind::kContactCap:
      return kHeldByCap;
    default:
      return kOther;
  }
}
}  // namespace

void CountDeltas::add(const domain::Lead& lead, int sign) {
  sums_[Key{lead.workflow_id, to_string(lead.status), lead.current_node_id.value_or(""),
            lead_class(lead)}] += sign;
}

void CountDeltas::write(Connection& conn) const {
  for (const auto& [key, n] : sums_) {
    if (n == 0) continue;
    const auto& [workflow_id, status, node_id, lead_class] = key;
    conn.prepare(kAddCount(conn.dialect()))
        .bind(1, workflow_id)
        .bind(2, status)
        .bind(3, node_id)
        .bind(4, lead_class)
        .bind(5, n)
        .exec();
  }
}

void recount_leads(Connection& conn, std::string_view workflow_id) {
  conn.prepare(kDeleteCounts).bind(1, workflow_id).exec();
  conn.prepare(kCountLeads(conn.dialect())).bind(1, workflow_id).exec();
}

void fold_lead_counts(Connection& conn) {
  if (!conn.dialect().postgres()) return;
  in_transaction(conn, [&] {
    conn.lock_until_commit(kFoldLock);
    conn.prepare(kFoldCounts).exec();
  });
}

}  // namespace leadline::store::sql
