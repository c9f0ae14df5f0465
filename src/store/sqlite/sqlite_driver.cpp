#include "store/sqlite/sqlite_driver.h"

#include <atomic>
#include <utility>

#include "store/store_errors.h"

namespace leadline::store::sqlite {
namespace {
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  const std::string message =
      std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if ((rc & 0xFF) == SQLITE_CONSTRAINT) throw ConflictError(message);
  throw StoreError(message);
}

class SqliteStatement final : public sql::PreparedStatement {
 public:
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bind_text(int index, std::string_view value) override {
    check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
  }
  void bind_kept_text(int index, std::string_view value) override {
    check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_STATIC));
  }
  void bind_integer(int index, std::int64_t value) override {
    check(sqlite3_bind_int64(stmt_, index, value));
  }
  void bind_real(int index, double value) override {
    check(sqlite3_bind_double(stmt_, index, value));
  }
  void bind_null(int index) override { check(sqlite3_bind_null(stmt_, index)); }
  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(sqlite3_db_handle(stmt_), rc, "step");
  }
  int exec() override {
    while (step()) {
    }
    return sqlite3_changes(sqlite3_db_handle(stmt_));
  }
  std::string text(int col) const override { return std::string(text_view(col)); }
  std::string_view text_view(int col) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }
  std::int64_t integer(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const override { return sqlite3_column_double(stmt_, col); }
  bool is_null(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  }
  sqlite3_stmt* stmt_;
};
}  // namespace

namespace {
// Whether set_page_cache_budget chose the budget; otherwise the first connection sets the
// default.
std::atomic<bool> budget_chosen{false};
}  // namespace

void set_page_cache_budget(std::int64_t bytes) {
  budget_chosen = true;
  sqlite3_soft_heap_limit64(bytes);
}

Connection::Connection(const std::string& path, std::shared_ptr<Checkpointer> checkpointer)
    : checkpointer_(std::move(checkpointer)) {
  if (!budget_chosen.exchange(true)) sqlite3_soft_heap_limit64(kDefaultPageCacheBudget);
  int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open SQLite database " + path + ": " + sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(message);
  }
  sqlite3_busy_timeout(db_, 10000);
  // WAL: readers never block the writer. synchronous=FULL syncs the log at every commit, so
  // a committed batch survives a power loss, not only a crash of the process.
  exec_script(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;");
  checkpointer_->attach(db_);
}

Connection::~Connection() {
  cache_.clear();  // statements are finalized before the connection closes
  sqlite3_close(db_);
}

sql::PreparedStatement& Connection::prepared(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return *it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) fail(db_, rc, "prepare");
  return *cache_.emplace(std::string(sql), std::make_unique<SqliteStatement>(stmt)).first->second;
}

void Connection::exec_script(std::string_view sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    if ((rc & 0xFF) == SQLITE_CONSTRAINT) throw ConflictError(message);
    throw StoreError(message);
  }
}

void Connection::rollback() noexcept { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

void check_readable(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db, "SELECT 1 FROM organizations LIMIT 1", nullptr, nullptr, nullptr);
  const std::string message = rc == SQLITE_OK ? "" : sqlite3_errmsg(db);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw StoreError("SQLite database does not answer: " + message);
}

}  // namespace leadline::store::sqlite
