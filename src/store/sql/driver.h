#pragma once
// The small driver interface the one SQL store runs on (sql_store.h): a connection that
// prepares cached statements, a statement with typed bind/read, transactions, and a pool
// that hands one connection to one thread at a time. The SQLite driver (sqlite/) and the
// PostgreSQL driver (postgres/) implement it; SQL text is written once with '?' placeholders
// and differs per dialect only where the databases really differ (see Dialect).
// Errors become StoreError, ConflictError for constraint violations and serialization
// failures, ConnectionLost when a server connection dropped before the work committed.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store_errors.h"

namespace leadline::store::sql {

// The connection to the database server was lost; the transaction (if any) did not commit.
// Never thrown for a loss during COMMIT, whose outcome is unknown (a plain StoreError).
class ConnectionLost : public StoreError {
 public:
  using StoreError::StoreError;
};

// What SQL text depends on. Everything else in the store is the same for both databases.
class Dialect {
 public:
  enum Kind { kSqlite, kPostgres };
  constexpr explicit Dialect(Kind kind) : kind_(kind) {}
  constexpr Kind kind() const { return kind_; }
  constexpr bool postgres() const { return kind_ == kPostgres; }

  // Appended to a SELECT that decides on rows it then changes. SQLite's single writer
  // (BEGIN IMMEDIATE) already holds the whole database, so it needs no row locks.
  std::string_view for_update() const { return postgres() ? " FOR UPDATE" : ""; }
  // The same, locking only the rows of the table named `alias` in a join.
  std::string for_update_of(std::string_view alias) const {
    return postgres() ? " FOR UPDATE OF " + std::string(alias) : "";
  }
  // Rows another process's claim holds are skipped, not waited for (PostgreSQL only).
  std::string for_update_skip_locked(std::string_view alias) const {
    return postgres() ? for_update_of(alias) + " SKIP LOCKED" : "";
  }
  // A subquery over the strings of the JSON array bound at `param` (one statement text for
  // any number of values).
  std::string json_strings(std::string_view param) const {
    return postgres() ? "SELECT jsonb_array_elements_text(" + std::string(param) + "::jsonb)"
                      : "SELECT value FROM json_each(" + std::string(param) + ")";
  }
  // "<key> IN (the integers of the JSON array bound at the placeholder)", for a key with a
  // unique index. On PostgreSQL an array the index scan takes whole (key = ANY), which no
  // statistics turn into a join over a sequential scan.
  std::string key_in_integers(std::string_view key) const {
    return postgres() ? std::string(key) +
                            " = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::bigint))"
                      : std::string(key) + " IN (SELECT value FROM json_each(?))";
  }
  // "SELECT <columns> FROM <table> <alias> WHERE <key> IN (<the strings of the JSON array
  // bound at the first placeholder>) AND <condition>", columns and key qualified by the alias.
  // On PostgreSQL the array drives a LATERAL probe of the key's index per value: as a join the
  // planner may choose a hash join over a sequential scan of the table whenever its statistics
  // lag behind it (a connection keeps a generic plan made while the table was small), and the
  // engine's tables grow by thousands of rows a batch.
  std::string select_where_in(std::string_view columns, std::string_view table,
                              std::string_view alias, std::string_view key,
                              std::string_view condition) const {
    const std::string select = "SELECT " + std::string(columns) + " FROM ";
    const std::string table_alias = std::string(table) + " " + std::string(alias);
    if (postgres())
      return select + "jsonb_array_elements_text(?::jsonb) AS wanted(value) CROSS JOIN LATERAL (" +
             select + table_alias + " WHERE " + std::string(key) + " = wanted.value AND " +
             std::string(condition) + ") " + std::string(alias);
    return select + table_alias + " WHERE " + std::string(key) + " IN (" + json_strings("?") +
           ") AND " + std::string(condition);
  }

 private:
  Kind kind_;
};

// A statement's text for both dialects, built once at start-up from one builder.
class SqlText {
 public:
  template <typename Build>
  explicit SqlText(Build build)
      : sqlite_(build(Dialect(Dialect::kSqlite))), postgres_(build(Dialect(Dialect::kPostgres))) {}
  const std::string& operator()(const Dialect& dialect) const {
    return dialect.postgres() ? postgres_ : sqlite_;
  }

 private:
  std::string sqlite_;
  std::string postgres_;
};

// One prepared statement of a connection, kept in its cache and reused. A driver implements
// it; the store only sees Statement.
class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_integer(int index, std::int64_t value) = 0;
  virtual void bind_real(int index, double value) = 0;
  virtual void bind_null(int index) = 0;
  // Binds text the caller keeps in place until the statement has run (see Kept): a driver
  // may read it there instead of copying it.
  virtual void bind_kept_text(int index, std::string_view value) { bind_text(index, value); }
  // Runs the statement on the first call; advances to the next row; false when done.
  virtual bool step() = 0;
  // Runs a statement that returns no rows; answers the number of rows changed.
  virtual int exec() = 0;
  virtual std::string text(int col) const = 0;
  // The text in the driver's own buffer: valid until the statement steps, resets or reads
  // the column as another type. For values parsed at once (JSON), without a copy.
  virtual std::string_view text_view(int col) const = 0;
  virtual std::int64_t integer(int col) const = 0;
  virtual double real(int col) const = 0;
  virtual bool is_null(int col) const = 0;
  // Drops the result and the bindings so the statement can run again.
  virtual void reset() = 0;
};

// Text that stays where it is until the statement has run: a field of the rows a batch
// writes, or a name with static storage. Bound without a copy (SQLite copies every other
// text it binds: a malloc and a memcpy per value of every row a batch writes).
struct Kept {
  std::string_view text;
};
inline Kept kept(const std::string& text) { return Kept{text}; }
Kept kept(std::string&&) = delete;  // a temporary is gone before the statement runs
inline std::optional<Kept> kept(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return Kept{*text};
}
std::optional<Kept> kept(std::optional<std::string>&&) = delete;

// The statement in use: binds and reads, and resets the cached statement when it goes.
// One use of a given SQL text at a time per connection.
class Statement {
 public:
  explicit Statement(PreparedStatement& prepared) : prepared_(&prepared) {}
  ~Statement() {
    if (prepared_) prepared_->reset();
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : prepared_(std::exchange(other.prepared_, nullptr)) {}
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

  bool step() { return prepared_->step(); }
  int exec() { return prepared_->exec(); }

  std::string text(int col) const { return prepared_->text(col); }
  std::string_view text_view(int col) const { return prepared_->text_view(col); }
  std::optional<std::string> opt_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
  }
  std::int64_t integer(int col) const { return prepared_->integer(col); }
  std::optional<std::int64_t> opt_integer(int col) const {
    if (is_null(col)) return std::nullopt;
    return integer(col);
  }
  double real(int col) const { return prepared_->real(col); }
  bool is_null(int col) const { return prepared_->is_null(col); }

 private:
  void bind_value(int index, std::string_view value) { prepared_->bind_text(index, value); }
  void bind_value(int index, const std::string& value) { prepared_->bind_text(index, value); }
  void bind_value(int index, const char* value) { prepared_->bind_text(index, value); }
  void bind_value(int index, Kept value) { prepared_->bind_kept_text(index, value.text); }
  void bind_value(int index, std::int64_t value) { prepared_->bind_integer(index, value); }
  void bind_value(int index, int value) { prepared_->bind_integer(index, value); }
  void bind_value(int index, double value) { prepared_->bind_real(index, value); }
  void bind_value(int index, std::nullopt_t) { prepared_->bind_null(index); }
  template <typename T>
  void bind_value(int index, const std::optional<T>& value) {
    if (value)
      bind_value(index, *value);
    else
      bind_value(index, std::nullopt);
  }

  PreparedStatement* prepared_;
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // A cached prepared statement for this SQL text (keyed by content).
  Statement prepare(std::string_view sql) { return Statement(prepared(sql)); }
  // Runs one or more statements with no parameters.
  virtual void exec_script(std::string_view sql) = 0;

  // Transactions; in_transaction() below is how the store uses them. begin() takes the
  // write lock at once on SQLite (BEGIN IMMEDIATE), so a transaction never fails to upgrade
  // its read lock; PostgreSQL runs READ COMMITTED and callers lock the rows they decide on.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Held until the transaction ends: work under the same key runs one at a time across
  // processes. A no-op on SQLite, whose writer already excludes every other.
  virtual void lock_until_commit(std::int64_t key) = 0;
  // The same for each of `keys`, in one round trip, taken in ascending order so that two
  // transactions locking overlapping sets never wait on each other in a cycle.
  virtual void lock_all_until_commit(std::vector<std::int64_t> keys) = 0;

  // PostgreSQL: runs `copy` (COPY ... FROM STDIN, text format) with `rows` as its data (see
  // CopyRows). SQLite has no COPY: it throws there.
  virtual void copy_in(std::string_view copy, std::string_view rows);

  // False once the server dropped the connection or it was left inside a transaction: the
  // pool replaces it.
  virtual bool healthy() { return true; }
  // Bytes the database library holds in this process (SQLite: all its connections' caches
  // and statements together); nullopt for a server database, whose memory is its own.
  virtual std::optional<std::int64_t> library_memory() const { return std::nullopt; }

 protected:
  virtual PreparedStatement& prepared(std::string_view sql) = 0;
};

// Runs fn inside a transaction; rolls back and rethrows on any exception.
template <typename Fn>
auto in_transaction(Connection& conn, Fn&& fn) -> decltype(fn()) {
  conn.begin();
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      conn.commit();
    } else {
      auto result = fn();
      conn.commit();
      return result;
    }
  } catch (...) {
    conn.rollback();
    throw;
  }
}

class ConnectionPool {
 public:
  using Connect = std::function<std::unique_ptr<Connection>()>;
  // Opens the first connection at once (so a database that cannot be opened fails at start)
  // and others on demand, at most `size` at a time.
  ConnectionPool(Connect connect, size_t size);

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

  Dialect dialect() const { return dialect_; }

 private:
  void release(std::unique_ptr<Connection> conn);
  Connect connect_;
  size_t size_;
  size_t open_ = 0;
  Dialect dialect_{Dialect::kSqlite};
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace leadline::store::sql
