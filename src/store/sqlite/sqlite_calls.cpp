// Call records as the API reads them; the engine writes them (sqlite_engine.cpp).
#include <string>

#include "store/sqlite/sqlite_rows.h"
#include "store/sqlite/sqlite_store.h"

namespace leadline::store::sqlite {
namespace {
using domain::Call;

const std::string& find_call_sql() {
  static const std::string sql =
      "SELECT " + std::string(kCallColumns) + " FROM calls c WHERE c.org_id = ? AND c.id = ?";
  return sql;
}
}  // namespace

Page<Call> SqliteStore::list_calls(std::string_view org_id, const CallQuery& query) {
  // Only fixed fragments reach the SQL text; values are bound.
  std::string where = " WHERE c.org_id = ?";
  if (query.workflow_id) where += " AND c.workflow_id = ?";
  if (query.lead_id) where += " AND c.lead_id = ?";
  if (query.status) where += " AND c.status = ?";
  const std::string count_sql = "SELECT count(*) FROM calls c" + where;
  const std::string list_sql = "SELECT " + std::string(kCallColumns) + " FROM calls c" + where +
                               " ORDER BY c.created_at DESC, c.seq DESC LIMIT ? OFFSET ?";
  auto bind_filters = [&](Statement& s) {
    int i = 1;
    s.bind(i++, org_id);
    if (query.workflow_id) s.bind(i++, *query.workflow_id);
    if (query.lead_id) s.bind(i++, *query.lead_id);
    if (query.status) s.bind(i++, *query.status);
    return i;
  };

  auto conn = pool_.acquire();
  Page<Call> page;
  {
    auto s = conn->prepare(count_sql);
    bind_filters(s);
    if (s.step()) page.total = s.integer(0);
  }
  auto s = conn->prepare(list_sql);
  int i = bind_filters(s);
  s.bind(i++, query.page.limit);
  s.bind(i, static_cast<std::int64_t>(query.page.page - 1) * query.page.limit);
  while (s.step()) page.items.push_back(read_call(s));
  return page;
}

std::optional<Call> SqliteStore::find_call(std::string_view org_id, std::string_view call_id) {
  auto conn = pool_.acquire();
  auto s = conn->prepare(find_call_sql()).bind(1, org_id).bind(2, call_id);
  if (!s.step()) return std::nullopt;
  return read_call(s);
}

}  // namespace leadline::store::sqlite
