// Nodes and edges of a workflow, and the per-node lead counts the graph view shows.
#include "store/sql/lead_counts.h"
#include "store/sql/split_counts.h"
#include "store/sql/sql_store.h"

namespace leadline::store::sql {
namespace {
using domain::Edge;
using domain::Node;

constexpr std::string_view kSelectNodes =
    "SELECT id, workflow_id, node_type, label, position_x, position_y, config, created_at, "
    "updated_at FROM nodes WHERE workflow_id = ? ORDER BY seq";
constexpr std::string_view kSelectEdges =
    "SELECT id, workflow_id, from_node_id, to_node_id, label, created_at FROM edges "
    "WHERE workflow_id = ? ORDER BY seq";
constexpr std::string_view kInsertNode =
    "INSERT INTO nodes (id, workflow_id, node_type, label, position_x, position_y, config, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kUpdateNode =
    "UPDATE nodes SET label = ?, position_x = ?, position_y = ?, config = ?, updated_at = ? "
    "WHERE workflow_id = ? AND id = ?";
constexpr std::string_view kDeleteNodeEdges =
    "DELETE FROM edges WHERE workflow_id = ? AND (from_node_id = ? OR to_node_id = ?)";
constexpr std::string_view kDeleteNode = "DELETE FROM nodes WHERE workflow_id = ? AND id = ?";
constexpr std::string_view kFindEdge =
    "SELECT 1 FROM edges WHERE workflow_id = ? AND from_node_id = ? AND to_node_id = ? "
    "AND coalesce(label, '') = coalesce(?, '')";
constexpr std::string_view kInsertEdge =
    "INSERT INTO edges (id, workflow_id, from_node_id, to_node_id, label, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kDeleteEdge = "DELETE FROM edges WHERE workflow_id = ? AND id = ?";
const SqlText kEditableStatus([](const Dialect& d) {
  return "SELECT status FROM workflows WHERE id = ? AND status NOT IN ('completed', 'cancelled')" +
         std::string(d.for_update());
});
// Every graph edit bumps the version so cached graphs in the engine are refreshed, and makes
// the workflow's stalled leads due so they can move on if the edit freed them (spec §5.4),
// and its leads waiting for a calling window, which the edit may have changed.
constexpr std::string_view kBumpVersion =
    "UPDATE workflows SET version = version + 1, updated_at = ? WHERE id = ?";
constexpr std::string_view kWakeStalled =
    "UPDATE lead_states SET next_action_at = ? WHERE lead_seq IN (SELECT seq FROM leads WHERE "
    "workflow_id = ?) AND status = 'active' "
    "AND (stalled = 1 OR wait_kind IN ('window', 'contact_cap'))";
// The counts are kept by the writes (lead_counts.h): a workflow has a few rows per node, or on
// PostgreSQL a few per node and transaction since the last fold, never one per lead.
constexpr std::string_view kCountsByNode =
    "SELECT node_id, sum(CASE WHEN class = 0 THEN n ELSE 0 END), "
    "sum(CASE WHEN class > 0 THEN n ELSE 0 END), sum(CASE WHEN class = 2 THEN n ELSE 0 END), "
    "sum(CASE WHEN class IN (3, 4) THEN n ELSE 0 END) "
    "FROM lead_counts WHERE workflow_id = ? AND status = 'active' AND node_id <> '' "
    "GROUP BY node_id HAVING sum(n) <> 0";
// Not counted ahead: only the demo asks, on a small workflow.
constexpr std::string_view kVisitsByNode =
    "SELECT node_id, count(DISTINCT lead_id) FROM lead_history WHERE workflow_id = ? "
    "GROUP BY node_id";
constexpr std::string_view kBlockedCounts =
    "SELECT class, sum(n) FROM lead_counts WHERE workflow_id = ? AND class >= 3 GROUP BY class";
constexpr std::string_view kCountsByStatus =
    "SELECT status, sum(n) FROM lead_counts WHERE workflow_id = ? GROUP BY status "
    "HAVING sum(n) <> 0";

// Runs an edit inside a transaction after checking the workflow still accepts edits.
template <typename Fn>
auto edit_graph(Connection& conn, std::string_view workflow_id, util::Millis now, Fn&& fn) {
  return in_transaction(conn, [&] {
    if (!conn.prepare(kEditableStatus(conn.dialect())).bind(1, workflow_id).step())
      throw ConflictError("Workflow is completed or cancelled; its graph can no longer be edited");
    auto result = fn();
    if (result) {
      conn.prepare(kBumpVersion).bind(1, now).bind(2, workflow_id).exec();
      conn.prepare(kWakeStalled).bind(1, now).bind(2, workflow_id).exec();
    }
    return result;
  });
}
}  // namespace

domain::Graph SqlStore::load_graph(std::string_view workflow_id) {
  auto conn = pool_.acquire();
  domain::Graph graph;
  {
    auto s = conn->prepare(kSelectNodes).bind(1, workflow_id);
    while (s.step()) {
      Node n;
      n.id = s.text(0);
      n.workflow_id = s.text(1);
      n.type = domain::node_type_from_string(s.text(2)).value_or(domain::NodeType::kDropped);
      n.label = s.text(3);
      n.position_x = s.real(4);
      n.position_y = s.real(5);
      n.config = Json::parse(s.text(6), nullptr, false);
      if (!n.config.is_object()) n.config = Json::object();
      n.created_at = s.integer(7);
      n.updated_at = s.integer(8);
      graph.nodes.push_back(std::move(n));
    }
  }
  auto s = conn->prepare(kSelectEdges).bind(1, workflow_id);
  while (s.step())
    graph.edges.push_back(
        Edge{s.text(0), s.text(1), s.text(2), s.text(3), s.opt_text(4), s.integer(5)});
  return graph;
}

void SqlStore::insert_node(const Node& node, util::Millis now) {
  auto conn = pool_.acquire();
  edit_graph(*conn, node.workflow_id, now, [&] {
    conn->prepare(kInsertNode)
        .bind(1, node.id)
        .bind(2, node.workflow_id)
        .bind(3, to_string(node.type))
        .bind(4, node.label)
        .bind(5, node.position_x)
        .bind(6, node.position_y)
        .bind(7, node.config.dump())
        .bind(8, node.created_at)
        .bind(9, node.updated_at)
        .exec();
    return true;
  });
}

bool SqlStore::update_node(const Node& node, util::Millis now) {
  auto conn = pool_.acquire();
  return edit_graph(*conn, node.workflow_id, now, [&] {
    return conn->prepare(kUpdateNode)
               .bind(1, node.label)
               .bind(2, node.position_x)
               .bind(3, node.position_y)
               .bind(4, node.config.dump())
               .bind(5, now)
               .bind(6, node.workflow_id)
               .bind(7, node.id)
               .exec() > 0;
  });
}

bool SqlStore::delete_node(std::string_view workflow_id, std::string_view node_id,
                           util::Millis now) {
  auto conn = pool_.acquire();
  return edit_graph(*conn, workflow_id, now, [&] {
    if (conn->prepare(kDeleteNode).bind(1, workflow_id).bind(2, node_id).exec() == 0) return false;
    conn->prepare(kDeleteNodeEdges).bind(1, workflow_id).bind(2, node_id).bind(3, node_id).exec();
    return true;
  });
}

void SqlStore::insert_edge(const Edge& edge, util::Millis now) {
  auto conn = pool_.acquire();
  edit_graph(*conn, edge.workflow_id, now, [&] {
    if (conn->prepare(kFindEdge)
            .bind(1, edge.workflow_id)
            .bind(2, edge.from_node_id)
            .bind(3, edge.to_node_id)
            .bind(4, edge.label)
            .step())
      throw ConflictError("An edge with the same from_node_id, to_node_id and label exists");
    conn->prepare(kInsertEdge)
        .bind(1, edge.id)
        .bind(2, edge.workflow_id)
        .bind(3, edge.from_node_id)
        .bind(4, edge.to_node_id)
        .bind(5, edge.label)
        .bind(6, edge.created_at)
        .exec();
    return true;
  });
}

bool SqlStore::delete_edge(std::string_view workflow_id, std::string_view edge_id,
                           util::Millis now) {
  auto conn = pool_.acquire();
  return edit_graph(*conn, workflow_id, now, [&] {
    return conn->prepare(kDeleteEdge).bind(1, workflow_id).bind(2, edge_id).exec() > 0;
  });
}

void SqlStore::fold_counts() {
  pool_.with_retry([&](Connection& conn) { fold_lead_counts(conn); });
  pool_.with_retry([&](Connection& conn) { fold_split_counts(conn); });
}

std::vector<std::pair<std::string, Store::NodeCounts>> SqlStore::lead_counts_by_node(
    std::string_view workflow_id) {
  auto conn = pool_.acquire();
  std::vector<std::pair<std::string, NodeCounts>> counts;
  auto s = conn->prepare(kCountsByNode).bind(1, workflow_id);
  while (s.step())
    counts.emplace_back(s.text(0),
                        NodeCounts{s.integer(1), s.integer(2), s.integer(3), s.integer(4)});
  return counts;
}

Store::BlockedCounts SqlStore::blocked_counts(std::string_view workflow_id) {
  auto conn = pool_.acquire();
  BlockedCounts counts;
  auto s = conn->prepare(kBlockedCounts).bind(1, workflow_id);
  while (s.step()) {
    const auto n = s.integer(1);
    switch (s.integer(0)) {
      case kWaitingForHours:
        counts.calling_window = n;
        break;
      case kHeldByCap:
        counts.contact_cap = n;
        break;
      case kDroppedSuppressed:
        counts.suppressed = n;
        break;
      case kDroppedNoConsent:
        counts.consent = n;
        break;
      default:
        break;
    }
  }
  return counts;
}

std::vector<std::pair<std::string, std::int64_t>> SqlStore::lead_counts_by_status(
    std::string_view workflow_id) {
  auto conn = pool_.acquire();
  std::vector<std::pair<std::string, std::int64_t>> counts;
  auto s = conn->prepare(kCountsByStatus).bind(1, workflow_id);
  while (s.step()) counts.emplace_back(s.text(0), s.integer(1));
  return counts;
}

std::vector<DefinitionStore::VariantCount> SqlStore::split_counts(std::string_view workflow_id,
                                                                  std::string_view node_id) {
  auto conn = pool_.acquire();
  return read_split_counts(*conn, workflow_id, node_id);
}

std::vector<std::pair<std::string, std::int64_t>> SqlStore::visits_by_node(
    std::string_view workflow_id) {
  auto conn = pool_.acquire();
  std::vector<std::pair<std::string, std::int64_t>> counts;
  auto s = conn->prepare(kVisitsByNode).bind(1, workflow_id);
  while (s.step()) counts.emplace_back(s.text(0), s.integer(1));
  return counts;
}

}  // namespace leadline::store::sql
