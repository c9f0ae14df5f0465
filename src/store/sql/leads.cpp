// Lead rows as the API sees them: enrolment, listing, removal, history, variable names.
#include <algorithm>
#include <string>
#include <unordered_set>

#include "store/sql/lead_counts.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"
#include "store/sql/suppressions.h"

namespace leadline::store::sql {
namespace {
using domain::HistoryEntry;
using domain::Lead;

// Locked until commit on PostgreSQL: enrolments into one workflow (and its lifecycle changes)
// run one after another, so the duplicate check below sees every earlier enrolment.
const SqlText kWorkflowStatusById([](const Dialect& d) {
  return "SELECT status FROM workflows WHERE id = ?" + std::string(d.for_update());
});
// Waits for an engine batch stepping the lead, then decides on its committed state.
constexpr std::string_view kLockLead =
    "SELECT 1 FROM lead_states s JOIN leads l ON l.seq = s.lead_seq "
    "WHERE l.workflow_id = ? AND l.id = ? FOR UPDATE OF s";
// Numbers per duplicate look-up: one statement answers a whole chunk of the batch.
constexpr size_t kPhonesPerLookup = 500;
constexpr std::string_view kPlanForTheseValues = "SET LOCAL plan_cache_mode = force_custom_plan";
constexpr std::string_view kAnyOpenLead =
    "SELECT 1 FROM lead_states WHERE workflow_id = ? AND status IN ('pending', 'active') "
    "LIMIT 1";
constexpr std::string_view kAnySuppression = "SELECT 1 FROM suppressions WHERE org_id = ? LIMIT 1";
constexpr std::string_view kAddEnrolled =
    "UPDATE workflows SET enrolled_leads = enrolled_leads + ? WHERE id = ?";
constexpr std::string_view kSelectKeys =
    "SELECT name, seq FROM variable_keys WHERE workflow_id = ? ORDER BY seq";
constexpr std::string_view kInsertKey =
    "INSERT INTO variable_keys (workflow_id, seq, name) VALUES (?, ?, ?)";
constexpr std::string_view kNodeTypeAndLabel =
    "SELECT node_type, label FROM nodes WHERE workflow_id = ? AND id = ?";
// A call in flight keeps its wake-up time so the engine still records the call's result
// (spec §5.3); everything else the lead had scheduled is dropped.
constexpr std::string_view kMarkRemoved =
    "UPDATE lead_states SET status = 'removed', stalled = 0, updated_at = ?, "
    "next_action_at = CASE WHEN wait_kind IN ('call', 'call_detached') THEN next_action_at "
    "ELSE NULL END, wait_kind = CASE WHEN wait_kind IN ('call', 'call_detached') "
    "THEN 'call_detached' ELSE 'none' END "
    "WHERE lead_seq = (SELECT seq FROM leads WHERE id = ?)";
constexpr std::string_view kSelectHistory =
    "SELECT lead_id, workflow_id, node_id, node_type, label, status, outcome, edge_label, "
    "to_node_id, call_id, attempt, started_at, ended_at, reason FROM lead_history "
    "WHERE lead_seq = (SELECT seq FROM leads WHERE id = ?) ORDER BY seq";

const std::string& find_lead_sql() {
  static const std::string sql = "SELECT " + std::string(kLeadColumns) +
                                 " FROM lead_rows l WHERE l.workflow_id = ? AND l.id = ?";
  return sql;
}

std::optional<Lead> find_in(Connection& conn, std::string_view workflow_id,
                            std::string_view lead_id) {
  auto s = conn.prepare(find_lead_sql()).bind(1, workflow_id).bind(2, lead_id);
  if (!s.step()) return std::nullopt;
  return read_lead(s);
}

// Throws ConflictError unless the workflow still takes leads; read under the write lock (or
// the row lock), so a cancel cannot slip between this check and the inserts.
void check_accepts_leads(Connection& conn, std::string_view workflow_id) {
  auto s = conn.prepare(kWorkflowStatusById(conn.dialect())).bind(1, workflow_id);
  if (!s.step()) throw ConflictError("Workflow was deleted while the request ran");
  auto status = domain::workflow_status_from_string(s.text(0));
  if (status && domain::is_final(*status))
    throw ConflictError("Workflow is " + std::string(to_string(*status)) +
                        "; leads can no longer be enrolled");
}

// The numbers among `leads` that already have an open lead in the workflow. Served by
// leads_workflow_phone; a short last chunk repeats its final number so every chunk runs the
// same cached statement.
std::unordered_set<std::string> open_phones(Connection& conn, std::string_view workflow_id,
                                            std::span<const Lead> leads) {
  static const std::string sql = [] {
    std::string text =
        "SELECT phone_number FROM lead_rows WHERE workflow_id = ? AND status IN ('pending', "
        "'active') AND phone_number IN (?";
    for (size_t i = 1; i < kPhonesPerLookup; ++i) text += ", ?";
    return text + ")";
  }();
  std::unordered_set<std::string> found;
  for (size_t start = 0; start < leads.size(); start += kPhonesPerLookup) {
    auto s = conn.prepare(sql);
    s.bind(1, workflow_id);
    for (size_t i = 0; i < kPhonesPerLookup; ++i)
      s.bind(static_cast<int>(i) + 2, leads[std::min(start + i, leads.size() - 1)].phone_number);
    while (s.step()) found.insert(s.text(0));
  }
  return found;
}

// Records variable names not seen before in this workflow, after the existing ones.
class VariableKeys {
 public:
  VariableKeys(Connection& conn, std::string_view workflow_id)
      : conn_(conn), workflow_id_(workflow_id) {
    auto s = conn.prepare(kSelectKeys).bind(1, workflow_id);
    while (s.step()) {
      known_.insert(s.text(0));
      next_seq_ = s.integer(1) + 1;
    }
  }
  void add_from(const Json& variables) {
    for (const auto& [name, value] : variables.items()) {
      if (name == "phone_number" || known_.contains(name)) continue;
      known_.insert(name);
      conn_.prepare(kInsertKey).bind(1, workflow_id_).bind(2, next_seq_++).bind(3, name).exec();
    }
  }

 private:
  Connection& conn_;
  std::string_view workflow_id_;
  std::unordered_set<std::string> known_;
  std::int64_t next_seq_ = 1;
};
}  // namespace

EnrollResult SqlStore::enroll_leads(const domain::Workflow& workflow, LeadSource& source,
                                    bool allow_reenrollment, util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    check_accepts_leads(*conn, workflow.id);
    // PostgreSQL plans the duplicate look-up for this request's numbers, not once for the
    // connection: the generic plan it keeps after five runs scanned every lead of the workflow
    // per 500 numbers (enrolling 200,000 leads took 370 s instead of 15).
    if (conn->dialect().postgres()) conn->exec_script(kPlanForTheseValues);
    EnrollResult result;
    VariableKeys keys(*conn, workflow.id);
    // A workflow without open leads (the common first upload) needs no look-up.
    const bool look_up_open =
        !allow_reenrollment && conn->prepare(kAnyOpenLead).bind(1, workflow.id).step();
    // Numbers the do-not-call list stops in this workflow are not enrolled (the engine checks
    // again before every call: entries are added later too).
    const bool look_up_suppressed = conn->prepare(kAnySuppression).bind(1, workflow.org_id).step();
    std::unordered_set<std::string_view> seen;  // views into chunks, valid until we return
    std::vector<const Lead*> inserted;
    size_t position = 0;  // of the chunk's first lead among all of them
    for (auto chunk = source.next(); !chunk.empty(); chunk = source.next()) {
      std::unordered_set<std::string> taken;
      if (look_up_open) taken = open_phones(*conn, workflow.id, chunk);
      std::unordered_map<std::string, domain::Suppression> suppressed;
      if (look_up_suppressed) {
        std::vector<std::string_view> phones;
        phones.reserve(chunk.size());
        for (const auto& lead : chunk) phones.push_back(lead.phone_number);
        suppressed = suppressions_for(*conn, workflow.org_id, workflow.id, phones, now);
      }
      inserted.clear();
      for (size_t i = 0; i < chunk.size(); ++i, ++position) {
        const Lead& lead = chunk[i];
        if (auto entry = suppressed.find(lead.phone_number); entry != suppressed.end()) {
          result.suppressed.emplace_back(position, entry->second);
          continue;
        }
        if (!allow_reenrollment) {
          const bool repeated = !seen.insert(lead.phone_number).second;
          if (repeated || taken.contains(lead.phone_number)) {
            result.duplicates.push_back(position);
            continue;
          }
        }
        inserted.push_back(&lead);
        result.lead_ids.push_back(lead.id);
        keys.add_from(lead.variables);
      }
      insert_leads(*conn, inserted);
    }
    if (!result.lead_ids.empty())
      conn->prepare(kAddEnrolled)
          .bind(1, static_cast<std::int64_t>(result.lead_ids.size()))
          .bind(2, workflow.id)
          .exec();
    return result;
  });
}

Page<Lead> SqlStore::list_leads(std::string_view workflow_id, const LeadQuery& query) {
  // Only fixed fragments reach the SQL text; values are bound. seq breaks created_at ties so
  // the order comes straight from leads_workflow_created (ids are random anyway).
  std::string where = " WHERE l.workflow_id = ?";
  if (query.status) where += " AND l.status = ?";
  if (query.current_node_id) where += " AND l.current_node_id = ?";
  // The ids travel as one JSON array so the SQL text (and its cached statement) does not
  // depend on how many there are.
  if (!query.lead_ids.empty()) where += " AND l.id IN (" + pool_.dialect().json_strings("?") + ")";
  // The total of a page filtered by status and node comes from the graph's counts
  // (lead_counts.h: the same moves, summed per key), not from counting the workflow's leads.
  std::string count_sql = "SELECT coalesce(sum(n), 0) FROM lead_counts WHERE workflow_id = ?";
  if (query.status) count_sql += " AND status = ?";
  if (query.current_node_id) count_sql += " AND node_id = ?";
  if (!query.lead_ids.empty()) count_sql = "SELECT count(*) FROM lead_rows l" + where;
  const std::string list_sql = "SELECT " + std::string(kLeadColumns) + " FROM lead_rows l" + where +
                               " ORDER BY l.created_at DESC, l.seq DESC LIMIT ? OFFSET ?";
  std::vector<std::string> filters = {std::string(workflow_id)};
  if (query.status) filters.emplace_back(to_string(*query.status));
  if (query.current_node_id) filters.push_back(*query.current_node_id);
  if (!query.lead_ids.empty()) filters.push_back(Json(query.lead_ids).dump());
  auto conn = pool_.acquire();
  return read_page<Lead>(*conn, count_sql, list_sql, filters, query.page,
                         [](const Statement& s) { return read_lead(s); });
}

std::optional<Lead> SqlStore::find_lead(std::string_view workflow_id, std::string_view lead_id) {
  auto conn = pool_.acquire();
  return find_in(*conn, workflow_id, lead_id);
}

RemoveLeadResult SqlStore::remove_lead(std::string_view workflow_id, std::string_view lead_id,
                                       util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    if (conn->dialect().postgres())
      conn->prepare(kLockLead).bind(1, workflow_id).bind(2, lead_id).exec();
    auto lead = find_in(*conn, workflow_id, lead_id);
    if (!lead) return RemoveLeadResult::kNotFound;
    if (domain::is_terminal(lead->status)) return RemoveLeadResult::kAlreadyTerminal;
    conn->prepare(kMarkRemoved).bind(1, now).bind(2, lead->id).exec();
    CountDeltas counts;
    counts.add(*lead, -1);
    domain::Lead removed = *lead;
    removed.status = domain::LeadStatus::kRemoved;
    counts.add(removed, +1);
    counts.write(*conn);
    if (lead->current_node_id) {
      HistoryEntry entry;
      entry.lead_id = lead->id;
      entry.workflow_id = lead->workflow_id;
      entry.node_id = *lead->current_node_id;
      // A node deleted under the lead leaves its type and label unknown; the visit still
      // belongs in the history.
      auto node = conn->prepare(kNodeTypeAndLabel).bind(1, workflow_id).bind(2, entry.node_id);
      if (node.step()) {
        entry.node_type = node.text(0);
        entry.label = node.text(1);
      }
      entry.status = "removed";
      entry.call_id = lead->call_id;
      if (lead->attempt > 0) entry.attempt = lead->attempt;
      entry.started_at = lead->entered_at.value_or(now);
      entry.ended_at = now;
      entry.reason = "Removed from the workflow through the API";
      insert_history(*conn, {entry});
    }
    return RemoveLeadResult::kRemoved;
  });
}

std::vector<HistoryEntry> SqlStore::lead_history(std::string_view lead_id) {
  auto conn = pool_.acquire();
  auto s = conn->prepare(kSelectHistory).bind(1, lead_id);
  std::vector<HistoryEntry> entries;
  while (s.step()) {
    HistoryEntry h;
    h.lead_id = s.text(0);
    h.workflow_id = s.text(1);
    h.node_id = s.text(2);
    h.node_type = s.text(3);
    h.label = s.text(4);
    h.status = s.text(5);
    h.outcome = s.opt_text(6);
    h.edge_label = s.opt_text(7);
    h.to_node_id = s.opt_text(8);
    h.call_id = s.opt_text(9);
    if (auto attempt = s.opt_integer(10)) h.attempt = static_cast<int>(*attempt);
    h.started_at = s.integer(11);
    h.ended_at = s.opt_integer(12);
    h.reason = s.opt_text(13);
    entries.push_back(std::move(h));
  }
  return entries;
}

std::vector<std::string> SqlStore::variable_keys(std::string_view workflow_id) {
  auto conn = pool_.acquire();
  auto s = conn->prepare(kSelectKeys).bind(1, workflow_id);
  std::vector<std::string> names;
  while (s.step()) names.push_back(s.text(0));
  return names;
}

}  // namespace leadline::store::sql
