#include "store/sqlite/sqlite_store.h"

#include <set>

#include "store/migrations.h"
#include "util/ids.h"

namespace leadline::store::sqlite {
namespace {
// More than the threads that may hold one at once (HTTP workers, HTTP job runners, the engine
// with its graph loads), so a writer never waits for a connection held by a blocked reader.
constexpr size_t kPoolSize = 16;

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
constexpr std::string_view kAppliedVersions = "SELECT version FROM schema_migrations";
constexpr std::string_view kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) "
    "VALUES (?, ?, CAST(strftime('%s','now') AS INTEGER) * 1000)";

constexpr std::string_view kAnyOrganization = "SELECT 1 FROM organizations LIMIT 1";
constexpr std::string_view kFindOrganizationByName =
    "SELECT id, name, created_at FROM organizations WHERE name = ?";
constexpr std::string_view kInsertOrganization =
    "INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?)";
constexpr std::string_view kInsertApiKey =
    "INSERT INTO api_keys (id, org_id, name, secret_hash, created_at, revoked_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kKeyColumns =
    "SELECT id, org_id, name, secret_hash, created_at, revoked_at FROM api_keys ";
constexpr std::string_view kRevokeApiKey =
    "UPDATE api_keys SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL";

ApiKey read_key(const Statement& s) {
  return ApiKey{s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4), s.opt_integer(5)};
}
}  // namespace

SqliteStore::SqliteStore(const std::string& path) : path_(path), pool_(path, kPoolSize) {
  migrate();
}

void SqliteStore::migrate() {
  auto conn = pool_.acquire();
  in_transaction(*conn, [&] {
    conn->exec_script(kCreateMigrationsTable);
    // Every migration not yet applied, not only those above the highest: branches that
    // numbered theirs independently (0002 beside 0003) may land in either order.
    std::set<std::int64_t> applied;
    {
      auto s = conn->prepare(kAppliedVersions);
      while (s.step()) applied.insert(s.integer(0));
    }
    for (const Migration& m : sqlite_migrations()) {
      if (applied.count(m.version)) continue;
      conn->exec_script(m.sql);
      conn->prepare(kRecordMigration).bind(1, m.version).bind(2, m.name).exec();
    }
  });
}

bool SqliteStore::has_organizations() {
  auto conn = pool_.acquire();
  return conn->prepare(kAnyOrganization).step();
}

Organization SqliteStore::ensure_organization(std::string_view name, util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    {
      auto s = conn->prepare(kFindOrganizationByName).bind(1, name);
      if (s.step()) return Organization{s.text(0), s.text(1), s.integer(2)};
    }
    Organization org{util::new_id("org"), std::string(name), now};
    conn->prepare(kInsertOrganization).bind(1, org.id).bind(2, org.name).bind(3, now).exec();
    return org;
  });
}

void SqliteStore::insert_api_key(const ApiKey& key) {
  auto conn = pool_.acquire();
  conn->prepare(kInsertApiKey)
      .bind(1, key.id)
      .bind(2, key.org_id)
      .bind(3, key.name)
      .bind(4, key.secret_hash)
      .bind(5, key.created_at)
      .bind(6, key.revoked_at)
      .exec();
}

std::optional<ApiKey> SqliteStore::find_api_key(std::string_view key_id) {
  static const std::string sql = std::string(kKeyColumns) + "WHERE id = ?";
  auto conn = pool_.acquire();
  auto s = conn->prepare(sql).bind(1, key_id);
  if (!s.step()) return std::nullopt;
  return read_key(s);
}

std::vector<ApiKey> SqliteStore::list_api_keys(std::string_view org_id) {
  static const std::string sql =
      std::string(kKeyColumns) + "WHERE org_id = ? ORDER BY created_at DESC, id DESC";
  auto conn = pool_.acquire();
  auto s = conn->prepare(sql).bind(1, org_id);
  std::vector<ApiKey> keys;
  while (s.step()) keys.push_back(read_key(s));
  return keys;
}

bool SqliteStore::revoke_api_key(std::string_view org_id, std::string_view key_id,
                                 util::Millis now) {
  auto conn = pool_.acquire();
  return conn->prepare(kRevokeApiKey).bind(1, now).bind(2, org_id).bind(3, key_id).exec() > 0;
}

}  // namespace leadline::store::sqlite
