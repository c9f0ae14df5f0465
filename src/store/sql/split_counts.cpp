#include "store/sql/split_counts.h"

#include <map>
#include <tuple>

namespace leadline::store::sql {
namespace {
using domain::HistoryEntry;

const SqlText kAddSplitCount([](const Dialect& d) {
  std::string sql =
      "INSERT INTO split_counts (workflow_id, node_id, variant, leads, converted) "
      "VALUES (?, ?, ?, ?, ?)";
  if (!d.postgres())
    sql +=
        " ON CONFLICT (workflow_id, node_id, variant) DO UPDATE SET "
        "leads = leads + excluded.leads, converted = converted + excluded.converted";
  return sql;
});
// The lead's passes through the split, this transaction's included (index lead_history_split).
constexpr std::string_view kPassesThroughSplit =
    "SELECT count(*) FROM lead_history WHERE node_type = 'SPLIT' AND node_id = ? AND lead_id = ? "
    "AND outcome IS NOT NULL";
// The variants the leads of the JSON array of row keys took (index lead_history_lead_seq:
// their own rows only).
const SqlText kVariantsTaken([](const Dialect& d) {
  return "SELECT DISTINCT h.lead_id, h.node_id, h.outcome FROM lead_history h WHERE " +
         d.key_in_integers("h.lead_seq") + " AND h.node_type = 'SPLIT' AND h.outcome IS NOT NULL";
});
// Served by nodes_workflow: a workflow has a few dozen nodes at most.
constexpr std::string_view kHasSplitNode =
    "SELECT 1 FROM nodes WHERE workflow_id = ? AND node_type = 'SPLIT' LIMIT 1";
constexpr std::string_view kReadCounts =
    "SELECT variant, sum(leads), sum(converted) FROM split_counts WHERE workflow_id = ? "
    "AND node_id = ? GROUP BY variant HAVING sum(leads) <> 0 ORDER BY variant";
// As lead_counts are folded (lead_counts.cpp).
constexpr std::string_view kFoldCounts =
    "WITH gone AS (DELETE FROM split_counts RETURNING workflow_id, node_id, variant, leads, "
    "converted) INSERT INTO split_counts (workflow_id, node_id, variant, leads, converted) "
    "SELECT workflow_id, node_id, variant, sum(leads), sum(converted) FROM gone "
    "GROUP BY 1, 2, 3";
constexpr std::int64_t kFoldLock = 7306128;  // lead_counts.cpp folds under 7306127

bool is_split_pass(const HistoryEntry& h) { return h.node_type == "SPLIT" && h.outcome; }
bool is_conversion(const HistoryEntry& h) {
  return h.node_type == "CONVERTED" && h.status == "completed";
}
}  // namespace

void count_splits(Connection& conn, const std::vector<HistoryEntry>& written,
                  const RowKeys& leads) {
  using Key = std::tuple<std::string, std::string, std::string>;  // workflow, node, variant
  std::map<Key, std::pair<std::int64_t, std::int64_t>> sums;      // leads, converted
  // This transaction's passes per (lead, node), with the first: the lead's first pass ever
  // when the history holds no other.
  std::map<std::pair<std::string, std::string>, std::pair<const HistoryEntry*, std::int64_t>>
      passes;
  std::map<std::string_view, std::string_view> converted;  // lead → workflow
  for (const HistoryEntry& h : written) {
    if (is_split_pass(h)) {
      auto& [first, n] = passes[{h.lead_id, h.node_id}];
      if (!first) first = &h;
      ++n;
    }
    if (is_conversion(h)) converted.emplace(h.lead_id, h.workflow_id);
  }
  // Most workflows have no split node: their conversions need no look-up in the history.
  std::map<std::string_view, bool> has_split;  // workflow → whether it has a split node
  std::erase_if(converted, [&](const auto& lead) {
    auto [it, inserted] = has_split.emplace(lead.second, false);
    if (inserted) it->second = conn.prepare(kHasSplitNode).bind(1, lead.second).step();
    return !it->second;
  });
  if (!converted.empty()) {  // one look-up for the batch
    Json keys = Json::array();
    for (const auto& lead : converted)
      keys.push_back(lead_key(conn, leads, std::string(lead.first)));
    auto s = conn.prepare(kVariantsTaken(conn.dialect())).bind(1, keys.dump());
    while (s.step()) ++sums[{std::string(converted.at(s.text(0))), s.text(1), s.text(2)}].second;
  }
  for (const auto& [lead_and_node, pass] : passes) {
    const auto& [first, n] = pass;
    auto s = conn.prepare(kPassesThroughSplit).bind(1, first->node_id).bind(2, first->lead_id);
    if (s.step() && s.integer(0) == n)
      ++sums[{first->workflow_id, first->node_id, *first->outcome}].first;
  }
  for (const auto& [key, n] : sums) {
    const auto& [workflow_id, node_id, variant] = key;
    conn.prepare(kAddSplitCount(conn.dialect()))
        .bind(1, workflow_id)
        .bind(2, node_id)
        .bind(3, variant)
        .bind(4, n.first)
        .bind(5, n.second)
        .exec();
  }
}

std::vector<DefinitionStore::VariantCount> read_split_counts(Connection& conn,
                                                             std::string_view workflow_id,
                                                             std::string_view node_id) {
  std::vector<DefinitionStore::VariantCount> counts;
  auto s = conn.prepare(kReadCounts).bind(1, workflow_id).bind(2, node_id);
  while (s.step()) counts.push_back({s.text(0), s.integer(1), s.integer(2)});
  return counts;
}

void fold_split_counts(Connection& conn) {
  if (!conn.dialect().postgres()) return;
  in_transaction(conn, [&] {
    conn.lock_until_commit(kFoldLock);
    conn.prepare(kFoldCounts).exec();
  });
}

}  // namespace leadline::store::sql
