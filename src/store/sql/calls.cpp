// Call records as the API reads them; the engine writes them (engine.cpp).
#include <string>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace leadline::store::sql {
namespace {
using domain::Call;

const std::string& find_call_sql() {
  static const std::string sql =
      "SELECT " + std::string(kCallColumns) + " FROM call_rows c WHERE c.org_id = ? AND c.id = ?";
  return sql;
}
}  // namespace

Page<Call> SqlStore::list_calls(std::string_view org_id, const CallQuery& query) {
  // Only fixed fragments reach the SQL text; values are bound.
  std::string where = " WHERE c.org_id = ?";
  if (query.workflow_id) where += " AND c.workflow_id = ?";
  if (query.lead_id) where += " AND c.lead_id = ?";
  if (query.status) where += " AND c.status = ?";
  const std::string count_sql = "SELECT count(*) FROM call_rows c" + where;
  const std::string list_sql = "SELECT " + std::string(kCallColumns) + " FROM call_rows c" + where +
                               " ORDER BY c.created_at DESC, c.seq DESC LIMIT ? OFFSET ?";
  std::vector<std::string> filters = {std::string(org_id)};
  for (const auto& value : {query.workflow_id, query.lead_id, query.status})
    if (value) filters.push_back(*value);
  auto conn = pool_.acquire();
  return read_page<Call>(*conn, count_sql, list_sql, filters, query.page,
                         [](const Statement& s) { return read_call(s); });
}

std::optional<Call> SqlStore::find_call(std::string_view org_id, std::string_view call_id) {
  auto conn = pool_.acquire();
  auto s = conn->prepare(find_call_sql()).bind(1, org_id).bind(2, call_id);
  if (!s.step()) return std::nullopt;
  return read_call(s);
}

}  // namespace leadline::store::sql
