#pragma once
// Thin RAII wrappers over the SQLite C API: a connection with a prepared-statement cache,
// a statement with typed bind/read, and a pool that hands one connection to one thread at a
// time. Errors become StoreError (or ConflictError for constraint violations).
#include <sqlite3.h>

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

namespace leadline::store::sqlite {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();  // resets and clears bindings so the cached statement can be reused
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement(Statement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Statement& operator=(Statement&&) = delete;

  // bind() chains on a named statement and on the temporary from prepare(), so
  // `auto s = conn.prepare(sql).bind(1, x);` keeps the statement alive.
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

  // Advances to the next row; false when done. Throws on error.
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
  void bind_value(int index, std::string_view value);
  void bind_value(int index, const std::string& value) {
    bind_value(index, std::string_view(value));
  }
  void bind_value(int index, const char* value) { bind_value(index, std::string_view(value)); }
  void bind_value(int index, std::int64_t value);
  void bind_value(int index, int value) { bind_value(index, std::int64_t{value}); }
  void bind_value(int index, double value);
  void bind_value(int index, std::nullopt_t);
  template <typename T>
  void bind_value(int index, const std::optional<T>& value) {
    if (value)
      bind_value(index, *value);
    else
      bind_value(index, std::nullopt);
  }

  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  explicit Connection(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A cached prepared statement for this SQL text (keyed by content).
  Statement prepare(std::string_view sql);
  // Runs one or more statements with no parameters.
  void exec_script(std::string_view sql);
  sqlite3* handle() { return db_; }

 private:
  // Looked up by string_view (no allocation per statement on hot paths).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

// Runs fn inside BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows on any exception.
template <typename Fn>
auto in_transaction(Connection& conn, Fn&& fn) -> decltype(fn()) {
  conn.exec_script("BEGIN IMMEDIATE");
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      conn.exec_script("COMMIT");
    } else {
      auto result = fn();
      conn.exec_script("COMMIT");
      return result;
    }
  } catch (...) {
    sqlite3_exec(conn.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

class ConnectionPool {
 public:
  ConnectionPool(std::string path, size_t size);

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
  Lease acquire();

 private:
  void release(std::unique_ptr<Connection> conn);
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace leadline::store::sqlite
