#pragma once
// The PostgreSQL driver of the SQL store (libpq): one server connection with its cache of
// prepared statements (sql/driver.h). '?' placeholders are numbered $1.. when prepared.
#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sql/driver.h"

namespace leadline::store::postgres {

class Connection final : public sql::Connection {
 public:
  // Connects to `url` (a libpq URI). Throws StoreError when the server cannot be reached.
  explicit Connection(const std::string& url);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sql::Dialect dialect() const override { return sql::Dialect(sql::Dialect::kPostgres); }
  void exec_script(std::string_view sql) override;
  void begin() override { exec_script("BEGIN"); }
  // A connection lost during COMMIT leaves the outcome unknown: that is a plain StoreError,
  // never retried.
  void commit() override;
  void rollback() noexcept override;
  void lock_until_commit(std::int64_t key) override;
  void lock_all_until_commit(std::vector<std::int64_t> keys) override;
  void copy_in(std::string_view copy, std::string_view rows) override;
  bool healthy() override;

  // Throws the error of a failed result (and frees it).
  [[noreturn]] void fail(PGresult* result, std::string_view what);
  PGconn* handle() { return conn_; }

 protected:
  sql::PreparedStatement& prepared(std::string_view sql) override;

 private:
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>, SqlHash, std::equal_to<>>
      cache_;
};

}  // namespace leadline::store::postgres
