// The engine's side of the store: claiming due leads and applying a batch of steps in the
// same transaction, so a crash leaves each lead either before or after its step.
#include "store/sqlite/sqlite_rows.h"
#include "store/sqlite/sqlite_store.h"

namespace leadline::store::sqlite {
namespace {
constexpr std::string_view kActiveWorkflows =
    "SELECT id, version FROM workflows WHERE status IN ('active', 'running')";

std::string due_in_workflow_sql() {
  return "SELECT " + std::string(kLeadColumns) + ", " + std::string(kCallColumns) +
         " FROM leads l LEFT JOIN calls c ON c.id = l.call_id "
         "WHERE l.workflow_id = ? AND l.next_action_at <= ? AND l.wait_kind != 'call_detached' "
         "ORDER BY l.next_action_at LIMIT ?";
}
std::string due_detached_sql() {
  return "SELECT w.status, w.version, " + std::string(kLeadColumns) + ", " +
         std::string(kCallColumns) +
         " FROM leads l JOIN workflows w ON w.id = l.workflow_id "
         "LEFT JOIN calls c ON c.id = l.call_id "
         "WHERE l.wait_kind = 'call_detached' AND l.next_action_at <= ? "
         "ORDER BY l.next_action_at LIMIT ?";
}
constexpr std::string_view kNextDueInWorkflow =
    "SELECT min(next_action_at) FROM leads WHERE workflow_id = ? AND next_action_at IS NOT NULL";
constexpr std::string_view kNextDueDetached =
    "SELECT min(next_action_at) FROM leads WHERE wait_kind = 'call_detached'";
constexpr std::string_view kLeadForAction =
    "SELECT context FROM leads WHERE id = ? AND current_node_id = ? AND wait_kind = 'http' "
    "AND status = 'active'";
constexpr std::string_view kSetActionResult =
    "UPDATE leads SET context = ?, wait_kind = 'none', next_action_at = ?, updated_at = ? "
    "WHERE id = ?";

DueLead read_due(const Statement& s, int first, domain::WorkflowStatus status,
                 std::int64_t version) {
  DueLead due;
  due.lead = read_lead(s, first);
  if (!s.is_null(first + kLeadColumnCount)) due.call = read_call(s, first + kLeadColumnCount);
  due.workflow_status = status;
  due.workflow_version = version;
  return due;
}
}  // namespace

size_t SqliteStore::run_due_steps(util::Millis now, size_t limit, const StepFunction& step) {
  static const std::string kDueInWorkflow = due_in_workflow_sql();
  static const std::string kDueDetached = due_detached_sql();
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    std::vector<DueLead> batch;
    {
      auto s = conn->prepare(kDueDetached).bind(1, now).bind(2, static_cast<std::int64_t>(limit));
      while (s.step()) {
        auto status = domain::workflow_status_from_string(s.text(0));
        batch.push_back(
            read_due(s, 2, status.value_or(domain::WorkflowStatus::kCancelled), s.integer(1)));
      }
    }
    std::vector<std::pair<std::string, std::int64_t>> active;
    {
      auto s = conn->prepare(kActiveWorkflows);
      while (s.step()) active.emplace_back(s.text(0), s.integer(1));
    }
    for (const auto& [workflow_id, version] : active) {
      if (batch.size() >= limit) break;
      auto s = conn->prepare(kDueInWorkflow)
                   .bind(1, workflow_id)
                   .bind(2, now)
                   .bind(3, static_cast<std::int64_t>(limit - batch.size()));
      while (s.step()) batch.push_back(read_due(s, 0, domain::WorkflowStatus::kActive, version));
    }
    if (batch.empty()) return size_t{0};
    const auto subscribers = load_subscribers(*conn);
    set_event_masks(batch, subscribers);
    const StepWrites writes = step(batch);
    for (const auto& call : writes.new_calls) insert_call(*conn, call);
    for (const auto& call : writes.finished_calls) update_call_result(*conn, call);
    for (const auto& entry : writes.history) insert_history(*conn, entry);
    for (const auto& lead : writes.leads) update_lead_state(*conn, lead);
    write_events(*conn, writes.events, subscribers);
    return batch.size();
  });
}

std::optional<util::Millis> SqliteStore::next_due_at() {
  auto conn = pool_.acquire();
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
}

bool SqliteStore::record_action_result(std::string_view lead_id, std::string_view node_id,
                                       const Json& result, util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    auto s = conn->prepare(kLeadForAction).bind(1, lead_id).bind(2, node_id);
    if (!s.step()) return false;
    Json context = Json::parse(s.text(0), nullptr, false);
    if (!context.is_object()) context = Json::object();
    context["action_result"] = result;
    context["action_result"]["node_id"] = std::string(node_id);
    conn->prepare(kSetActionResult)
        .bind(1, context.dump())
        .bind(2, now)
        .bind(3, now)
        .bind(4, lead_id)
        .exec();
    return true;
  });
}

}  // namespace leadline::store::sqlite
