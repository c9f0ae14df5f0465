// Workflow rows: create, read with counts, list, patch, delete, duplicate, lifecycle.
#include <unordered_map>

#include "store/sql/lead_counts.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"
#include "util/ids.h"

namespace leadline::store::sql {
namespace {
using domain::Workflow;
using domain::WorkflowStatus;

constexpr std::string_view kWorkflowColumns =
    "SELECT w.id, w.org_id, w.title, w.description, w.status, w.settings, w.version, "
    "w.created_at, w.updated_at, w.paused_at, "
    "(SELECT count(*) FROM nodes n WHERE n.workflow_id = w.id), "
    "(SELECT count(*) FROM edges e WHERE e.workflow_id = w.id), w.enrolled_leads "
    "FROM workflows w ";
constexpr std::string_view kInsertWorkflow =
    "INSERT INTO workflows (id, org_id, title, description, status, settings, version, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
const SqlText kWorkflowStatus([](const Dialect& d) {
  return "SELECT status FROM workflows WHERE org_id = ? AND id = ?" + std::string(d.for_update());
});
constexpr std::string_view kSetWorkflowStatus =
    "UPDATE workflows SET status = ?, updated_at = ?, paused_at = ? WHERE id = ?";
// Queued or in flight.
constexpr std::string_view kCallsInFlight =
    "SELECT 1 FROM calls WHERE workflow_id = ? AND status = 'queued' "
    "UNION ALL SELECT 1 FROM calls_in_flight WHERE workflow_id = ? LIMIT 1";
constexpr std::string_view kDeleteWorkflowRows[] = {
    "DELETE FROM edges WHERE workflow_id = ?",
    "DELETE FROM nodes WHERE workflow_id = ?",
    "DELETE FROM lead_history WHERE workflow_id = ?",
    // Found by their leads, so before those.
    "DELETE FROM inbound_event_leads WHERE lead_id IN (SELECT id FROM leads WHERE workflow_id = ?)",
    "DELETE FROM lead_states WHERE lead_seq IN (SELECT seq FROM leads WHERE workflow_id = ?)",
    "DELETE FROM lead_contexts WHERE lead_seq IN (SELECT seq FROM leads WHERE workflow_id = ?)",
    "DELETE FROM leads WHERE workflow_id = ?",
    "DELETE FROM variable_keys WHERE workflow_id = ?",
    "DELETE FROM lead_counts WHERE workflow_id = ?",
    "DELETE FROM split_counts WHERE workflow_id = ?",
    "DELETE FROM workflows WHERE id = ?",
};
constexpr std::string_view kCopyNodes =
    "SELECT id, node_type, label, position_x, position_y, config FROM nodes "
    "WHERE workflow_id = ? ORDER BY seq";
constexpr std::string_view kInsertNodeCopy =
    "INSERT INTO nodes (id, workflow_id, node_type, label, position_x, position_y, config, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kCopyEdges =
    "SELECT from_node_id, to_node_id, label FROM edges WHERE workflow_id = ? ORDER BY seq";
constexpr std::string_view kInsertEdgeCopy =
    "INSERT INTO edges (id, workflow_id, from_node_id, to_node_id, label, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
// Lead-side effects of lifecycle actions (spec §2.8).
constexpr std::string_view kShiftFrozenDelays =
    "UPDATE lead_states SET next_action_at = next_action_at + ?, updated_at = ? "
    "WHERE lead_seq IN (SELECT seq FROM leads WHERE workflow_id = ?) AND status = 'active' AND "
    "wait_kind IN ('delay', 'event') "
    "AND next_action_at IS NOT NULL";
// A call in flight still finishes and is recorded, so call waits keep their due time.
constexpr std::string_view kCancelLeads =
    "UPDATE lead_states SET status = 'cancelled', stalled = 0, updated_at = ?, "
    "next_action_at = CASE WHEN wait_kind = 'call_detached' THEN next_action_at ELSE NULL END "
    "WHERE lead_seq IN (SELECT seq FROM leads WHERE workflow_id = ?) AND status IN ('pending', "
    "'active')";
// Calls ringing when a workflow stops are recorded when they end, without moving the lead.
constexpr std::string_view kDetachCalls =
    "UPDATE lead_states SET wait_kind = 'call_detached' WHERE lead_seq IN (SELECT seq FROM leads "
    "WHERE workflow_id = ?) "
    "AND wait_kind = 'call'";
constexpr std::string_view kAttachCalls =
    "UPDATE lead_states SET wait_kind = 'call' WHERE lead_seq IN (SELECT seq FROM leads WHERE "
    "workflow_id = ?) AND wait_kind = 'call_detached' "
    "AND status = 'active'";

Workflow read_workflow(const Statement& s) {
  Workflow w;
  w.id = s.text(0);
  w.org_id = s.text(1);
  w.title = s.text(2);
  w.description = s.opt_text(3);
  w.status = domain::workflow_status_from_string(s.text(4)).value_or(WorkflowStatus::kDraft);
  w.settings = Json::parse(s.text(5), nullptr, false);
  if (!w.settings.is_object()) w.settings = Json::object();
  w.version = s.integer(6);
  w.created_at = s.integer(7);
  w.updated_at = s.integer(8);
  w.paused_at = s.opt_integer(9);
  w.node_count = s.integer(10);
  w.edge_count = s.integer(11);
  w.enrolled_leads = s.integer(12);
  return w;
}

std::optional<Workflow> find_in(Connection& conn, std::string_view org_id,
                                std::string_view workflow_id) {
  static const std::string sql = std::string(kWorkflowColumns) + "WHERE w.org_id = ? AND w.id = ?";
  auto s = conn.prepare(sql).bind(1, org_id).bind(2, workflow_id);
  if (!s.step()) return std::nullopt;
  return read_workflow(s);
}

void insert_in(Connection& conn, const Workflow& w) {
  conn.prepare(kInsertWorkflow)
      .bind(1, w.id)
      .bind(2, w.org_id)
      .bind(3, w.title)
      .bind(4, w.description)
      .bind(5, to_string(w.status))
      .bind(6, w.settings.dump())
      .bind(7, w.version)
      .bind(8, w.created_at)
      .bind(9, w.updated_at)
      .exec();
}

// The status names stored for a filter value ("running" is the legacy name of active).
std::string status_filter_sql(WorkflowStatus status) {
  if (status == WorkflowStatus::kActive) return " AND w.status IN ('active', 'running')";
  return " AND w.status = '" + std::string(to_string(status)) + "'";
}

std::string like_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}
}  // namespace

void SqlStore::insert_workflow(const Workflow& workflow) {
  auto conn = pool_.acquire();
  insert_in(*conn, workflow);
}

std::optional<Workflow> SqlStore::find_workflow(std::string_view org_id,
                                                std::string_view workflow_id) {
  auto conn = pool_.acquire();
  return find_in(*conn, org_id, workflow_id);
}

Page<Workflow> SqlStore::list_workflows(std::string_view org_id, const WorkflowQuery& query) {
  // Only whitelisted column names reach the SQL text; values are bound.
  std::string where = "WHERE w.org_id = ?";
  if (query.status) where += status_filter_sql(*query.status);
  const bool postgres = pool_.dialect().postgres();
  if (query.title_contains)
    where += postgres ? " AND w.title ILIKE ? ESCAPE '\\'" : " AND w.title LIKE ? ESCAPE '\\'";
  const std::string column = query.sort_by == "updated_at" ? "w.updated_at"
                             : query.sort_by == "title"
                                 ? (postgres ? "lower(w.title)" : "w.title COLLATE NOCASE")
                                 : "w.created_at";
  const std::string dir = query.ascending ? " ASC" : " DESC";
  const std::string list_sql = std::string(kWorkflowColumns) + where + " ORDER BY " + column + dir +
                               ", w.id" + dir + " LIMIT ? OFFSET ?";
  const std::string count_sql = "SELECT count(*) FROM workflows w " + where;

  std::vector<std::string> filters = {std::string(org_id)};
  if (query.title_contains) filters.push_back(like_pattern(*query.title_contains));
  auto conn = pool_.acquire();
  return read_page<Workflow>(*conn, count_sql, list_sql, filters, query.page, read_workflow);
}

std::optional<Workflow> SqlStore::update_workflow(std::string_view org_id,
                                                  std::string_view workflow_id,
                                                  const WorkflowPatch& patch, util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&]() -> std::optional<Workflow> {
    lock_workflow(*conn, workflow_id);
    auto current = find_in(*conn, org_id, workflow_id);
    if (!current) return std::nullopt;
    if (domain::is_final(current->status))
      throw ConflictError("Workflow is " + std::string(to_string(current->status)) +
                          " and can no longer be edited");
    if (patch.title)
      conn->prepare("UPDATE workflows SET title = ? WHERE id = ?")
          .bind(1, *patch.title)
          .bind(2, workflow_id)
          .exec();
    if (patch.description)
      conn->prepare("UPDATE workflows SET description = ? WHERE id = ?")
          .bind(1, *patch.description)
          .bind(2, workflow_id)
          .exec();
    if (patch.settings) {
      conn->prepare("UPDATE workflows SET settings = ? WHERE id = ?")
          .bind(1, patch.settings->dump())
          .bind(2, workflow_id)
          .exec();
      // A new calling window, time zone or cap applies to leads already waiting for one.
      conn->prepare(
              "UPDATE lead_states SET next_action_at = ? WHERE lead_seq IN (SELECT seq FROM leads "
              "WHERE workflow_id = ?) AND status = 'active' "
              "AND wait_kind IN ('window', 'contact_cap')")
          .bind(1, now)
          .bind(2, workflow_id)
          .exec();
    }
    conn->prepare("UPDATE workflows SET updated_at = ?, version = version + 1 WHERE id = ?")
        .bind(1, now)
        .bind(2, workflow_id)
        .exec();
    return find_in(*conn, org_id, workflow_id);
  });
}

DeleteWorkflowResult SqlStore::delete_workflow(std::string_view org_id,
                                               std::string_view workflow_id) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    auto s = conn->prepare(kWorkflowStatus(conn->dialect())).bind(1, org_id).bind(2, workflow_id);
    if (!s.step()) return DeleteWorkflowResult::kNotFound;
    auto status = domain::workflow_status_from_string(s.text(0));
    if (status == WorkflowStatus::kActive) return DeleteWorkflowResult::kActive;
    if (conn->prepare(kCallsInFlight).bind(1, workflow_id).bind(2, workflow_id).step())
      return DeleteWorkflowResult::kBusy;
    for (auto sql : kDeleteWorkflowRows) conn->prepare(sql).bind(1, workflow_id).exec();
    return DeleteWorkflowResult::kDeleted;
  });
}

std::optional<Workflow> SqlStore::duplicate_workflow(std::string_view org_id,
                                                     std::string_view source_id,
                                                     const Workflow& copy) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&]() -> std::optional<Workflow> {
    // Edits of the source wait while it is copied, so nodes and edges come from one state.
    lock_workflow(*conn, source_id, WorkflowLock::kShare);
    if (!find_in(*conn, org_id, source_id)) return std::nullopt;
    insert_in(*conn, copy);
    std::unordered_map<std::string, std::string> new_ids;
    {
      auto nodes = conn->prepare(kCopyNodes).bind(1, source_id);
      while (nodes.step()) {
        const std::string new_id = util::new_id("node");
        new_ids.emplace(nodes.text(0), new_id);
        conn->prepare(kInsertNodeCopy)
            .bind(1, new_id)
            .bind(2, copy.id)
            .bind(3, nodes.text(1))
            .bind(4, nodes.text(2))
            .bind(5, nodes.real(3))
            .bind(6, nodes.real(4))
            .bind(7, nodes.text(5))
            .bind(8, copy.created_at)
            .bind(9, copy.created_at)
            .exec();
      }
    }
    auto edges = conn->prepare(kCopyEdges).bind(1, source_id);
    while (edges.step()) {
      conn->prepare(kInsertEdgeCopy)
          .bind(1, util::new_id("edge"))
          .bind(2, copy.id)
          .bind(3, new_ids.at(edges.text(0)))
          .bind(4, new_ids.at(edges.text(1)))
          .bind(5, edges.opt_text(2))
          .bind(6, copy.created_at)
          .exec();
    }
    return find_in(*conn, org_id, copy.id);
  });
}

Workflow SqlStore::transition_workflow(std::string_view org_id, std::string_view workflow_id,
                                       WorkflowStatus expected, domain::LifecycleAction action,
                                       WorkflowStatus to, util::Millis now) {
  using domain::LifecycleAction;
  auto conn = pool_.acquire();
  // The write lock (SQLite) or the row lock (PostgreSQL) keeps the status read here from
  // moving before the update below.
  return in_transaction(*conn, [&] {
    lock_workflow(*conn, workflow_id);
    auto current = find_in(*conn, org_id, workflow_id);
    if (!current || current->status != expected)
      throw ConflictError("Workflow status changed while the request ran; try again");
    std::optional<util::Millis> paused_at = current->paused_at;
    const bool was_active = current->status == WorkflowStatus::kActive;
    if (was_active) conn->prepare(kDetachCalls).bind(1, workflow_id).exec();
    if (to == WorkflowStatus::kActive) conn->prepare(kAttachCalls).bind(1, workflow_id).exec();
    if (action == LifecycleAction::kPause || action == LifecycleAction::kDeactivate) {
      // A deactivation of a paused workflow keeps the original pause start.
      if (!paused_at) paused_at = now;
    } else if (to == WorkflowStatus::kActive) {
      // Delays and event waits' timeouts were frozen while not active: shift them by the time
      // they stood still (a lead an event woke meanwhile is due at the pause's start: see
      // domain::apply_event).
      if (paused_at)
        conn->prepare(kShiftFrozenDelays)
            .bind(1, now - *paused_at)
            .bind(2, now)
            .bind(3, workflow_id)
            .exec();
      paused_at.reset();
    } else if (domain::is_final(to)) {
      conn->prepare(kCancelLeads).bind(1, now).bind(2, workflow_id).exec();
      recount_leads(*conn, workflow_id);
      paused_at.reset();
    }
    conn->prepare(kSetWorkflowStatus)
        .bind(1, to_string(to))
        .bind(2, now)
        .bind(3, paused_at)
        .bind(4, workflow_id)
        .exec();
    auto after = *find_in(*conn, org_id, workflow_id);
    // workflow.status_changed goes out with the change itself (spec §7).
    if (const auto subscribers = load_subscribers(*conn); !subscribers.empty())
      write_events(*conn, {domain::workflow_status_event(after, expected, action, now)},
                   subscribers);
    return after;
  });
}

}  // namespace leadline::store::sql
