#include "store/sqlite/sqlite_backup.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "store/store_errors.h"

namespace leadline::store::sqlite {
namespace {

// Pages per step: a few megabytes, so no single call holds SQLite's locks for long.
constexpr int kPagesPerStep = 1024;

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, Closer>;

Db open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK)
    throw StoreError("cannot open SQLite database " + path + ": " +
                     (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(raw, 10'000);
  return db;
}

void exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    throw StoreError(std::string(sql) + ": " + message);
  }
}

std::string single_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
    throw StoreError(std::string(sql) + ": " + sqlite3_errmsg(db));
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr)
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

BackupResult backup_database(const std::string& source_path, const std::string& target_path,
                             const std::function<void(int, int)>& progress) {
  namespace fs = std::filesystem;
  if (!fs::exists(source_path)) throw StoreError("no SQLite database at " + source_path);
  Db source = open(source_path, SQLITE_OPEN_READWRITE);
  // In WAL mode (the server's) a read transaction blocks no writer, and holding it across the
  // steps pins one snapshot: the copy is consistent and never restarts because the server
  // wrote in between. In rollback-journal mode a held read lock would stop writers, so each
  // step takes its own lock and SQLite restarts the copy if the source changes.
  const bool wal = single_text(source.get(), "PRAGMA journal_mode") == "wal";
  if (wal) {
    exec(source.get(), "BEGIN");
    single_text(source.get(), "SELECT count(*) FROM sqlite_master");  // starts the snapshot
  }

  const std::string partial = target_path + ".partial";
  std::error_code ignored;
  fs::remove(partial, ignored);
  BackupResult result;
  try {
    {
      Db target = open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      sqlite3_backup* backup = sqlite3_backup_init(target.get(), "main", source.get(), "main");
      if (backup == nullptr)
        throw StoreError(std::string("backup: ") + sqlite3_errmsg(target.get()));
      int rc = SQLITE_OK;
      while (true) {
        rc = sqlite3_backup_step(backup, kPagesPerStep);
        ++result.steps;
        if (progress) progress(sqlite3_backup_remaining(backup), sqlite3_backup_pagecount(backup));
        if (rc == SQLITE_DONE) break;
        if (rc == SQLITE_OK) continue;
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
        break;
      }
      result.pages = sqlite3_backup_pagecount(backup);
      sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) throw StoreError(std::string("backup failed: ") + sqlite3_errstr(rc));
      // The copy is a plain database file: no -wal or -shm beside it to carry along.
      exec(target.get(), "PRAGMA journal_mode=DELETE");
      const std::string check = single_text(target.get(), "PRAGMA integrity_check");
      if (check != "ok") throw StoreError("backup copy failed its integrity check: " + check);
    }
    if (wal) exec(source.get(), "COMMIT");
    fs::rename(partial, target_path);
  } catch (...) {
    fs::remove(partial, ignored);
    throw;
  }
  return result;
}

}  // namespace leadline::store::sqlite
