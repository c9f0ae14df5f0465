// The do-not-call list: its entries through the API, and the look-ups that the engine's
// claims and enrolment make inside their own transactions.
#include "store/sql/suppressions.h"

#include "domain/call_policy.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "store/sql/column_arrays.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace leadline::store::sql {
namespace {
using domain::Suppression;

constexpr std::string_view kColumns =
    "s.id, s.org_id, s.phone_number, s.workflow_id, s.reason, s.source, s.expires_at, "
    "s.created_at, s.updated_at";
// One entry per (number, organization, workflow scope): adding it again replaces what it
// says (reason, source, expiry) and keeps its id and creation time.
constexpr std::string_view kUpsert =
    "INSERT INTO suppressions (id, org_id, phone_number, workflow_id, reason, source, "
    "expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (phone_number, org_id, workflow_id) DO UPDATE SET reason = excluded.reason, "
    "source = excluded.source, expires_at = excluded.expires_at, "
    "updated_at = excluded.updated_at RETURNING id, created_at";
constexpr std::string_view kSettings =
    "SELECT w.settings, o.settings FROM workflows w JOIN organizations o ON o.id = w.org_id "
    "WHERE w.id = ?";
constexpr std::string_view kDelete = "DELETE FROM suppressions WHERE org_id = ? AND id = ?";
constexpr std::string_view kLive = "(s.expires_at IS NULL OR s.expires_at > ?)";
// Numbers per enrolment look-up: the JSON array of one statement.
constexpr size_t kPhonesPerLookup = 10'000;

Suppression read_suppression(const Statement& s) {
  Suppression e;
  e.id = s.text(0);
  e.org_id = s.text(1);
  e.phone_number = s.text(2);
  if (auto scope = s.text(3); !scope.empty()) e.workflow_id = std::move(scope);
  e.reason = s.opt_text(4);
  const std::string source = s.text(5);
  e.source = source == "upload"    ? domain::SuppressionSource::kUpload
             : source == "opt_out" ? domain::SuppressionSource::kOptOut
                                   : domain::SuppressionSource::kApi;
  e.expires_at = s.opt_integer(6);
  e.created_at = s.integer(7);
  e.updated_at = s.integer(8);
  return e;
}

// The live entries of the numbers in the JSON array bound first (any organization: a claimed
// batch holds leads of several).
const SqlText kByNumbers([](const Dialect& d) {
  return d.select_where_in(kColumns, "suppressions", "s", "s.phone_number", kLive);
});
}  // namespace

std::unordered_multimap<std::string, Suppression> live_entries(
    Connection& conn, const std::set<std::string_view>& phones, util::Millis now) {
  std::unordered_multimap<std::string, Suppression> found;
  Json list = Json::array();
  for (auto phone : phones) list.push_back(phone);
  auto s = conn.prepare(kByNumbers(conn.dialect())).bind(1, list.dump()).bind(2, now);
  while (s.step()) {
    auto entry = read_suppression(s);
    found.emplace(entry.phone_number, std::move(entry));
  }
  return found;
}

void attach_suppressions(Connection& conn, std::vector<DueLead>& batch, util::Millis now) {
  std::set<std::string_view> phones;
  for (const auto& due : batch) phones.insert(due.lead.phone_number);
  const auto found = live_entries(conn, phones, now);
  if (found.empty()) return;
  for (auto& due : batch) {
    auto [first, last] = found.equal_range(due.lead.phone_number);
    for (auto it = first; it != last; ++it)
      if (domain::suppresses(it->second, due.lead, now)) {
        due.suppression = it->second;
        break;
      }
  }
}

std::vector<std::string> suppressed_calls(Connection& conn, const std::vector<QueuedCall>& calls,
                                          util::Millis now) {
  std::set<std::string_view> phones;
  for (const auto& queued : calls) phones.insert(queued.call.to_phone_number);
  const auto found = live_entries(conn, phones, now);
  std::vector<std::string> ids;
  if (found.empty()) return ids;
  for (const auto& queued : calls) {
    const auto& call = queued.call;
    auto [first, last] = found.equal_range(call.to_phone_number);
    for (auto it = first; it != last; ++it)
      if (domain::suppresses(it->second, call.org_id, call.workflow_id, call.to_phone_number,
                             now)) {
        ids.push_back(call.id);
        break;
      }
  }
  return ids;
}

std::unordered_map<std::string, Suppression> suppressions_for(
    Connection& conn, std::string_view org_id, std::string_view workflow_id,
    const std::vector<std::string_view>& phones, util::Millis now) {
  std::unordered_map<std::string, Suppression> found;
  for (size_t start = 0; start < phones.size(); start += kPhonesPerLookup) {
    const auto end = phones.begin() +
                     static_cast<std::ptrdiff_t>(std::min(phones.size(), start + kPhonesPerLookup));
    const std::set<std::string_view> chunk(phones.begin() + static_cast<std::ptrdiff_t>(start),
                                           end);
    for (auto& [phone, entry] : live_entries(conn, chunk, now))
      if (entry.org_id == org_id && (!entry.workflow_id || *entry.workflow_id == workflow_id))
        found.emplace(phone, std::move(entry));
  }
  return found;
}

namespace {
// The key an entry is unique by: number, organization, workflow scope ("" = all).
using EntryKey = std::tuple<std::string_view, std::string_view, std::string_view>;
EntryKey key_of(const Suppression& e) {
  return {e.phone_number, e.org_id, e.workflow_id ? std::string_view(*e.workflow_id) : ""};
}

// SQLite, in process: one cached statement per entry.
std::vector<SuppressionAdded> upsert_one_by_one(Connection& conn,
                                                const std::vector<Suppression>& entries) {
  std::vector<SuppressionAdded> added;
  added.reserve(entries.size());
  for (const auto& entry : entries) {
    auto s = conn.prepare(kUpsert)
                 .bind(1, entry.id)
                 .bind(2, entry.org_id)
                 .bind(3, entry.phone_number)
                 .bind(4, entry.workflow_id.value_or(""))
                 .bind(5, entry.reason)
                 .bind(6, to_string(entry.source))
                 .bind(7, entry.expires_at)
                 .bind(8, entry.created_at)
                 .bind(9, entry.updated_at);
    if (!s.step()) throw StoreError("adding a suppression returned no row");
    SuppressionAdded result{entry, true};
    if (s.text(0) != entry.id) {
      result.created = false;
      result.entry.id = s.text(0);
      result.entry.created_at = s.integer(1);
    }
    added.push_back(std::move(result));
  }
  return added;
}

// PostgreSQL: a statement per chunk of entries (an array per column, column_arrays.h), not a
// round trip per entry: a list of a million numbers is one request's worth of work, not a
// million statements'. Rows go in the order given (key order, see below).
constexpr std::string_view kUpsertMany =
    "INSERT INTO suppressions (id, org_id, phone_number, workflow_id, reason, source, "
    "expires_at, created_at, updated_at) SELECT id, org_id, phone_number, workflow_id, reason, "
    "source, expires_at, created_at, updated_at "
    "FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], "
    "?::bigint[], ?::bigint[]) WITH ORDINALITY AS v(id, org_id, phone_number, workflow_id, "
    "reason, source, expires_at, created_at, updated_at, n) ORDER BY n "
    "ON CONFLICT (phone_number, org_id, workflow_id) DO UPDATE SET reason = excluded.reason, "
    "source = excluded.source, expires_at = excluded.expires_at, "
    "updated_at = excluded.updated_at RETURNING id, created_at, phone_number, org_id, workflow_id";
constexpr size_t kEntriesPerStatement = 5'000;

// As upsert_one_by_one would leave them: an upsert may change a row only once per statement,
// so entries that share a key are merged first (the first one's id and creation time, the
// last one's reason, source and expiry), and keys go in sorted order, so that two writers
// that share keys lock them in the same order.
std::vector<SuppressionAdded> upsert_in_chunks(Connection& conn,
                                               const std::vector<Suppression>& entries) {
  std::map<EntryKey, Suppression> merged;
  for (const auto& entry : entries) {
    auto [it, first] = merged.try_emplace(key_of(entry), entry);
    if (first) continue;
    Suppression& row = it->second;
    row.reason = entry.reason;
    row.source = entry.source;
    row.expires_at = entry.expires_at;
    row.updated_at = entry.updated_at;
  }
  std::map<EntryKey, std::pair<std::string, util::Millis>, std::less<>> stored;  // id, created
  auto next = merged.begin();
  while (next != merged.end()) {
    ColumnArrays rows(9);
    for (size_t n = 0; next != merged.end() && n < kEntriesPerStatement; ++next, ++n) {
      const Suppression& e = next->second;
      rows.add(e.id)
          .add(e.org_id)
          .add(e.phone_number)
          .add(e.workflow_id.value_or(""))
          .add(e.reason)
          .add(to_string(e.source))
          .add(e.expires_at)
          .add(e.created_at)
          .add(e.updated_at);
      rows.end_row();
    }
    auto s = conn.prepare(kUpsertMany);
    rows.bind(s);
    while (s.step()) {
      // Looked up in `merged`, whose keys view the caller's entries and outlive the row.
      auto it = merged.find(EntryKey{s.text(2), s.text(3), s.text(4)});
      if (it == merged.end()) throw StoreError("adding suppressions returned an unknown entry");
      stored[it->first] = {s.text(0), s.integer(1)};
    }
  }
  std::vector<SuppressionAdded> added;
  added.reserve(entries.size());
  for (const auto& entry : entries) {
    auto it = stored.find(key_of(entry));
    if (it == stored.end()) throw StoreError("adding suppressions returned no row for an entry");
    SuppressionAdded result{entry, it->second.first == entry.id};
    result.entry.id = it->second.first;
    result.entry.created_at = it->second.second;
    added.push_back(std::move(result));
  }
  return added;
}
}  // namespace

std::vector<SuppressionAdded> upsert_suppressions(Connection& conn,
                                                  const std::vector<Suppression>& entries) {
  if (conn.dialect().postgres() && entries.size() > 1) return upsert_in_chunks(conn, entries);
  return upsert_one_by_one(conn, entries);
}

void add_opt_out(Connection& conn, const domain::Call& call, util::Millis now) {
  auto s = conn.prepare(kSettings).bind(1, call.workflow_id);
  const bool found = s.step();
  const Json workflow = found ? Json::parse(s.text(0), nullptr, false) : Json::object();
  const Json org = found ? Json::parse(s.text(1), nullptr, false) : Json::object();
  const auto rule = domain::applicable_opt_out_rule(workflow, org);
  if (domain::asked_not_to_be_called(rule, call.postcall_analysis, call.end_reason))
    upsert_suppressions(conn, {domain::opt_out_entry(call, now)});
}

std::vector<SuppressionAdded> SqlStore::add_suppressions(const std::vector<Suppression>& entries) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] { return upsert_suppressions(*conn, entries); });
}

std::optional<Suppression> SqlStore::find_suppression(std::string_view org_id,
                                                      std::string_view suppression_id) {
  static const std::string sql =
      "SELECT " + std::string(kColumns) + " FROM suppressions s WHERE s.org_id = ? AND s.id = ?";
  auto conn = pool_.acquire();
  auto s = conn->prepare(sql).bind(1, org_id).bind(2, suppression_id);
  if (!s.step()) return std::nullopt;
  return read_suppression(s);
}

Page<Suppression> SqlStore::list_suppressions(std::string_view org_id,
                                              const SuppressionQuery& query) {
  std::string where = " WHERE s.org_id = ?";
  std::vector<std::string> filters = {std::string(org_id)};
  if (query.number_contains) {
    where += " AND s.phone_number LIKE ?";
    filters.push_back("%" + *query.number_contains + "%");
  }
  if (query.workflow_id) {
    where += " AND s.workflow_id = ?";
    filters.push_back(*query.workflow_id);
  }
  const std::string count_sql = "SELECT count(*) FROM suppressions s" + where;
  const std::string list_sql = "SELECT " + std::string(kColumns) + " FROM suppressions s" + where +
                               " ORDER BY s.created_at DESC, s.seq DESC LIMIT ? OFFSET ?";
  auto conn = pool_.acquire();
  return read_page<Suppression>(*conn, count_sql, list_sql, filters, query.page, read_suppression);
}

bool SqlStore::delete_suppression(std::string_view org_id, std::string_view suppression_id) {
  auto conn = pool_.acquire();
  return conn->prepare(kDelete).bind(1, org_id).bind(2, suppression_id).exec() > 0;
}

std::optional<Suppression> SqlStore::blocking_suppression(std::string_view org_id,
                                                          std::string_view workflow_id,
                                                          std::string_view phone,
                                                          util::Millis now) {
  auto conn = pool_.acquire();
  auto found = suppressions_for(*conn, org_id, workflow_id, {phone}, now);
  if (found.empty()) return std::nullopt;
  return found.begin()->second;
}

}  // namespace leadline::store::sql
