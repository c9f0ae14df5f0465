#include "store/sql/sql_store.h"

#include <cstdlib>
#include <set>

#include "store/migrations.h"
#include "util/ids.h"

namespace leadline::store::sql {
namespace {
// At most as many connections as threads that may hold one at once (HTTP workers, HTTP job
// runners, the engine with its graph loads), so a writer never waits for a connection held
// by a blocked reader; opened on demand, so an idle process holds few.
constexpr size_t kPoolSize = 16;
// Serializes migrations of processes starting at once on a fresh PostgreSQL database.
constexpr std::int64_t kMigrationLock = 7306126;

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
constexpr std::string_view kAppliedVersions = "SELECT version FROM schema_migrations";
constexpr std::string_view kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";

constexpr std::string_view kAnyOrganization = "SELECT 1 FROM organizations LIMIT 1";
constexpr std::string_view kFindOrganizationByName =
    "SELECT id, name, created_at FROM organizations WHERE name = ?";
// Two processes may create the same organization at once: the second insert does nothing and
// the select that follows it finds the first one's row.
constexpr std::string_view kInsertOrganization =
    "INSERT INTO organizations (id, name, created_at) VALUES (?, ?, ?) "
    "ON CONFLICT (name) DO NOTHING";
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
// The upgrade test (tests/engine/upgrade_test.cpp) kills the process here, its migration
// applied but not committed, as a power cut or a kill -9 in the middle of an upgrade would.
// A database that a newer release upgraded has a schema this binary does not know: its
// statements would fail on the first lead, or worse, write rows the newer release does not
// expect. It refuses to start instead (with several processes on PostgreSQL: each process
// must run the newer release once one has upgraded the database).
void refuse_unknown_migrations(const std::set<std::int64_t>& applied,
                               const std::vector<Migration>& known) {
  std::set<std::int64_t> versions;
  for (const Migration& m : known) versions.insert(m.version);
  for (const std::int64_t version : applied)
    if (!versions.contains(version))
      throw StoreError(
          "the database was upgraded by a newer release of Leadline (schema "
          "migration " +
          std::to_string(version) + "; this release knows up to " +
          std::to_string(versions.empty() ? 0 : *versions.rbegin()) +
          "): run that release or a newer one");
}

void exit_if_told_to_die_in(std::int64_t version) {
  const char* at = std::getenv("LEADLINE_TEST_DIE_IN_MIGRATION");
  if (at != nullptr && std::atoll(at) == version) std::_Exit(kDiedInMigration);
}
}  // namespace

SqlStore::SqlStore(ConnectionPool::Connect connect, std::function<void()> check_fresh)
    : pool_(std::move(connect), kPoolSize), check_fresh_(std::move(check_fresh)) {
  migrate();
}

void SqlStore::migrate() {
  auto conn = pool_.acquire();
  in_transaction(*conn, [&] {
    conn->lock_until_commit(kMigrationLock);
    conn->exec_script(kCreateMigrationsTable);
    // Every migration not yet applied, not only those above the highest: branches that
    // numbered theirs independently (0002 beside 0003) may land in either order.
    std::set<std::int64_t> applied;
    {
      auto s = conn->prepare(kAppliedVersions);
      while (s.step()) applied.insert(s.integer(0));
    }
    const auto& migrations =
        conn->dialect().postgres() ? postgres_migrations() : sqlite_migrations();
    refuse_unknown_migrations(applied, migrations);
    for (const Migration& m : migrations) {
      if (applied.count(m.version)) continue;
      conn->exec_script(m.sql);
      conn->prepare(kRecordMigration)
          .bind(1, m.version)
          .bind(2, m.name)
          .bind(3, util::system_now())
          .exec();
      exit_if_told_to_die_in(m.version);
    }
  });
}

namespace {
Organization read_named(const Statement& s) {
  Organization org;
  org.id = s.text(0);
  org.name = s.text(1);
  org.created_at = s.integer(2);
  return org;
}
}  // namespace

bool SqlStore::has_organizations() {
  auto conn = pool_.acquire();
  return conn->prepare(kAnyOrganization).step();
}

Organization SqlStore::ensure_organization(std::string_view name, util::Millis now) {
  auto conn = pool_.acquire();
  return in_transaction(*conn, [&] {
    {
      auto s = conn->prepare(kFindOrganizationByName).bind(1, name);
      if (s.step()) return read_named(s);
    }
    conn->prepare(kInsertOrganization)
        .bind(1, util::new_id("org"))
        .bind(2, name)
        .bind(3, now)
        .exec();
    auto s = conn->prepare(kFindOrganizationByName).bind(1, name);
    if (!s.step()) throw StoreError("organization vanished while it was created");
    return read_named(s);
  });
}

void SqlStore::insert_api_key(const ApiKey& key) {
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

std::optional<ApiKey> SqlStore::find_api_key(std::string_view key_id) {
  static const std::string sql = std::string(kKeyColumns) + "WHERE id = ?";
  auto conn = pool_.acquire();
  auto s = conn->prepare(sql).bind(1, key_id);
  if (!s.step()) return std::nullopt;
  return read_key(s);
}

std::vector<ApiKey> SqlStore::list_api_keys(std::string_view org_id) {
  static const std::string sql =
      std::string(kKeyColumns) + "WHERE org_id = ? ORDER BY created_at DESC, id DESC";
  auto conn = pool_.acquire();
  auto s = conn->prepare(sql).bind(1, org_id);
  std::vector<ApiKey> keys;
  while (s.step()) keys.push_back(read_key(s));
  return keys;
}

bool SqlStore::revoke_api_key(std::string_view org_id, std::string_view key_id, util::Millis now) {
  auto conn = pool_.acquire();
  return conn->prepare(kRevokeApiKey).bind(1, now).bind(2, org_id).bind(3, key_id).exec() > 0;
}

}  // namespace leadline::store::sql
