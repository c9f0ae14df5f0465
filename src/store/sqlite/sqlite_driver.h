#pragma once
// The SQLite driver of the SQL store: one connection to the database file, with its cache
// of prepared statements (sql/driver.h).
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sql/driver.h"
#include "store/sqlite/sqlite_checkpointer.h"

namespace leadline::store::sqlite {

class Connection final : public sql::Connection {
 public:
  // Opens (creating when absent) the database file in WAL mode with full durability. The
  // log is copied into the file by `checkpointer`, shared by the store's connections.
  Connection(const std::string& path, std::shared_ptr<Checkpointer> checkpointer);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect(sql::Dialect::kSqlite); }
  void exec_script(std::string_view sql) override;
  void begin() override { exec_script("BEGIN IMMEDIATE"); }
  void commit() override { exec_script("COMMIT"); }
  void rollback() noexcept override;
  void lock_until_commit(std::int64_t) override {}
  void lock_all_until_commit(std::vector<std::int64_t>) override {}
  std::optional<std::int64_t> library_memory() const override { return sqlite3_memory_used(); }

 protected:
  sql::PreparedStatement& prepared(std::string_view sql) override;

 private:
  // Looked up by string_view (no allocation per statement on hot paths).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::shared_ptr<Checkpointer> checkpointer_;  // outlives db_, whose commits it hears of
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>, SqlHash, std::equal_to<>>
      cache_;
};

// All of the process's SQLite page caches together (each connection may cache up to 64 MB,
// and the pool holds 16): past this, SQLite recycles clean pages of any connection instead of
// growing, so the server's memory stays level as the database grows. Process-wide; the first
// connection opened sets the default unless set_page_cache_budget came first.
inline constexpr std::int64_t kDefaultPageCacheBudget = 256LL << 20;
void set_page_cache_budget(std::int64_t bytes);

// Throws StoreError unless the file at `path` opens afresh and answers a query: pooled
// connections keep their files open, so they would still answer after the database's
// directory is gone or its file replaced.
void check_readable(const std::string& path);

}  // namespace leadline::store::sqlite
