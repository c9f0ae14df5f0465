#pragma once
// Thin RAII wrappers over libpq, shaped like the SQLite ones (sqlite/sqlite_db.h) so both
// backends read alike: a connection with a prepared-statement cache, a statement with typed
// bind/read ('?' placeholders are numbered $1.. when prepared), and a pool that hands one
// connection to one thread at a time and replaces connections the server dropped. Errors
// become StoreError, or ConflictError for constraint violations (SQLSTATE class 23),
// serialization failures and deadlocks.
#include <libpq-fe.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/store_errors.h"

namespace leadline::store::postgres {

// The connection to the server was lost; the transaction (if any) did not commit unless
// the loss happened during COMMIT.
class ConnectionLost : public StoreError {
 public:
  using StoreError::StoreError;
};

class Connection;

class Statement {
 public:
  Statement(Connection& conn, const std::string& name, int params)
      : conn_(&conn), name_(&name), values_(static_cast<size_t>(params)) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept
      : conn_(other.conn_),
        name_(other.name_),
        values_(std::move(other.values_)),
        result_(std::exchange(other.result_, nullptr)),
        row_(other.row_),
        rows_(other.rows_) {}
  Statement& operator=(Statement&&) = delete;

  template <typename T>
  Statement& bind(int index, const T& value) & {
    bind_value(index, value);
    return *this;
  }
  template <typename T>
  Statement&& bind(int index, const T& value) && {
    bind_value(index, value);
    return std::move(*this);
  }

  // Runs the statement on the first call; advances to the next row; false when done.
  bool step();
  // Runs a statement that returns no rows; answers the number of rows changed.
  int exec();

  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::int64_t integer(int col) const;
  std::optional<std::int64_t> opt_integer(int col) const;
  double real(int col) const;
  bool is_null(int col) const;

 private:
  void run();
  void bind_value(int index, std::string_view value) {
    values_.at(static_cast<size_t>(index - 1)) = std::string(value);
  }
  void bind_value(int index, const std::string& value) {
    bind_value(index, std::string_view(value));
  }
  void bind_value(int index, const char* value) { bind_value(index, std::string_view(value)); }
  void bind_value(int index, std::int64_t value) { bind_value(index, std::to_string(value)); }
  void bind_value(int index, int value) { bind_value(index, std::to_string(value)); }
  void bind_value(int index, double value);
  void bind_value(int index, std::nullopt_t) { values_.at(static_cast<size_t>(index - 1)).reset(); }
  template <typename T>
  void bind_value(int index, const std::optional<T>& value) {
    if (value)
      bind_value(index, *value);
    else
      bind_value(index, std::nullopt);
  }

  Connection* conn_;
  const std::string* name_;
  std::vector<std::optional<std::string>> values_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
};

class Connection {
 public:
  explicit Connection(const std::string& url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement for this SQL text (keyed by content).
  Statement prepare(std::string_view sql);
  // Runs one or more statements with no parameters.
  void exec_script(std::string_view sql);
  // Throws the error of a failed result (and frees it).
  [[noreturn]] void fail(PGresult* result, std::string_view what);
  bool broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  PGconn* handle() { return conn_; }

 private:
  struct Prepared {
    std::string name;
    int params = 0;
  };
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, Prepared, SqlHash, std::equal_to<>> cache_;
};

// Runs fn inside BEGIN ... COMMIT (READ COMMITTED; callers lock the rows they decide on);
// rolls back and rethrows on any exception.
// A connection lost during COMMIT leaves the outcome unknown: that is a plain StoreError,
// never retried.
void commit(Connection& conn);

template <typename Fn>
auto in_transaction(Connection& conn, Fn&& fn) -> decltype(fn()) {
  conn.exec_script("BEGIN");
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      commit(conn);
    } else {
      auto result = fn();
      commit(conn);
      return result;
    }
  } catch (...) {
    if (!conn.broken()) PQclear(PQexec(conn.handle(), "ROLLBACK"));
    throw;
  }
}

class ConnectionPool {
 public:
  // Opens connections on demand, at most `size` at once. Throws StoreError when the first
  // connection cannot be opened.
  ConnectionPool(std::string url, size_t size);

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (conn_) pool_->release(std::move(conn_));
    }
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };
  // A healthy connection: an idle one, or a new one (also replacing one the server dropped).
  Lease acquire();

  // Runs fn(connection) and, when the connection was lost before the work committed, runs it
  // once more on a new connection (the server rolled the first try back).
  template <typename Fn>
  auto with_retry(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    for (int attempt = 1;; ++attempt) {
      auto conn = acquire();
      try {
        return fn(*conn);
      } catch (const ConnectionLost&) {
        if (attempt >= 2) throw;
      }
    }
  }

 private:
  void release(std::unique_ptr<Connection> conn);
  std::string url_;
  size_t size_;
  size_t open_ = 0;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace leadline::store::postgres
