#include "store/postgres/postgres_driver.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <utility>
#include <vector>

namespace leadline::store::postgres {
namespace {
// "?" placeholders numbered "$1", "$2", ... (the SQL shared with SQLite never has a '?'
// inside a string literal; quoted text is copied as it is anyway).
std::pair<std::string, int> number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return {out, n};
}

// How long a transaction may sit idle between its statements before the server ends the
// session and rolls it back: the expiry of an engine batch's lease (sql/engine.cpp).
// Far above the time a batch takes to step its leads.
constexpr std::string_view kLeaseTimeout = "30s";

bool is_conflict(std::string_view state) {
  return state.starts_with("23") || state == "40001" || state == "40P01";
}

class PostgresStatement final : public sql::PreparedStatement {
 public:
  PostgresStatement(Connection& conn, std::string name, int params)
      : conn_(&conn), name_(std::move(name)), values_(static_cast<size_t>(params)) {}
  ~PostgresStatement() override { PostgresStatement::reset(); }
  PostgresStatement(const PostgresStatement&) = delete;
  PostgresStatement& operator=(const PostgresStatement&) = delete;

  void bind_text(int index, std::string_view value) override {
    values_.at(static_cast<size_t>(index - 1)) = std::string(value);
  }
  void bind_integer(int index, std::int64_t value) override {
    bind_text(index, std::to_string(value));
  }
  void bind_real(int index, double value) override {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    bind_text(index, std::string_view(buf, static_cast<size_t>(end - buf)));
  }
  void bind_null(int index) override { values_.at(static_cast<size_t>(index - 1)).reset(); }
  bool step() override {
    if (!result_) run();
    if (row_ + 1 >= rows_) return false;
    ++row_;
    return true;
  }
  int exec() override {
    if (!result_) run();
    const char* changed = PQcmdTuples(result_);
    return changed && *changed ? std::atoi(changed) : 0;
  }
  std::string text(int col) const override { return std::string(text_view(col)); }
  std::string_view text_view(int col) const override {
    return std::string_view(PQgetvalue(result_, row_, col),
                            static_cast<size_t>(PQgetlength(result_, row_, col)));
  }
  std::int64_t integer(int col) const override {
    return std::strtoll(PQgetvalue(result_, row_, col), nullptr, 10);
  }
  double real(int col) const override {
    return std::strtod(PQgetvalue(result_, row_, col), nullptr);
  }
  bool is_null(int col) const override { return PQgetisnull(result_, row_, col) != 0; }
  void reset() override {
    if (result_) PQclear(std::exchange(result_, nullptr));
    for (auto& value : values_) value.reset();
    row_ = -1;
    rows_ = 0;
  }

 private:
  void run() {
    std::vector<const char*> params(values_.size());
    for (size_t i = 0; i < values_.size(); ++i)
      params[i] = values_[i] ? values_[i]->c_str() : nullptr;
    result_ = PQexecPrepared(conn_->handle(), name_.c_str(), static_cast<int>(params.size()),
                             params.data(), nullptr, nullptr, 0);
    const auto status = result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
      conn_->fail(std::exchange(result_, nullptr), "query");
    rows_ = PQntuples(result_);
    row_ = -1;
  }

  Connection* conn_;
  std::string name_;
  std::vector<std::optional<std::string>> values_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
};
}  // namespace

void Connection::fail(PGresult* result, std::string_view what) {
  std::string message = std::string(what) + ": ";
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  message += primary ? primary : PQerrorMessage(conn_);
  const std::string code = state ? state : "";
  PQclear(result);
  if (PQstatus(conn_) != CONNECTION_OK) throw sql::ConnectionLost(message);
  if (is_conflict(code)) throw ConflictError(message);
  throw StoreError(message);
}

Connection::Connection(const std::string& url) {
  conn_ = PQconnectdb(url.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = std::string("cannot connect to PostgreSQL: ") + PQerrorMessage(conn_);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw StoreError(message);
  }
  // Quiet NOTICEs (e.g. "relation already exists, skipping") instead of printing to stderr.
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
  // synchronous_commit=on whatever the server's default: a committed batch is on disk.
  exec_script(
      "SET client_min_messages = warning; SET synchronous_commit = on; "
      "SET idle_in_transaction_session_timeout = '" +
      std::string(kLeaseTimeout) + "'");
}

Connection::~Connection() {
  cache_.clear();
  if (conn_) PQfinish(conn_);
}

sql::PreparedStatement& Connection::prepared(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto [text, params] = number_placeholders(sql);
    std::string name = "s" + std::to_string(cache_.size() + 1);
    PGresult* r = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, "prepare");
    PQclear(r);
    it = cache_
             .emplace(std::string(sql),
                      std::make_unique<PostgresStatement>(*this, std::move(name), params))
             .first;
  }
  return *it->second;
}

void Connection::exec_script(std::string_view sql) {
  PGresult* r = PQexec(conn_, std::string(sql).c_str());
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, "exec");
  PQclear(r);
}

void Connection::commit() {
  try {
    exec_script("COMMIT");
  } catch (const sql::ConnectionLost& e) {
    throw StoreError(std::string("connection lost during COMMIT, outcome unknown: ") + e.what());
  }
}

void Connection::rollback() noexcept {
  if (PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
}

void Connection::lock_until_commit(std::int64_t key) {
  prepare("SELECT pg_advisory_xact_lock(?)").bind(1, key).exec();
}

void Connection::lock_all_until_commit(std::vector<std::int64_t> keys) {
  if (keys.empty()) return;
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::string array = "[";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) array += ',';
    array += std::to_string(keys[i]);
  }
  array += ']';
  // The sorted subquery feeds the outer projection in its order, so the locks are taken in it.
  prepare(
      "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT value::bigint AS k FROM "
      "jsonb_array_elements_text(?::jsonb) ORDER BY 1) AS keys")
      .bind(1, array)
      .exec();
}

void Connection::copy_in(std::string_view copy, std::string_view rows) {
  PGresult* r = PQexec(conn_, std::string(copy).c_str());
  if (!r || PQresultStatus(r) != PGRES_COPY_IN) fail(r, "copy");
  PQclear(r);
  // Sent in pieces: libpq buffers each whole before it writes.
  constexpr size_t kPiece = 1 << 20;
  bool sent = true;
  for (size_t at = 0; sent && at < rows.size(); at += kPiece) {
    const auto piece = rows.substr(at, kPiece);
    sent = PQputCopyData(conn_, piece.data(), static_cast<int>(piece.size())) == 1;
  }
  // On a failed send the copy is ended with an error, so the server rolls it back; either way
  // its result says what happened.
  PQputCopyEnd(conn_, sent ? nullptr : "the client could not send the rows");
  PGresult* result = PQgetResult(conn_);
  const auto status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  // Drains the results that follow the copy's (none, normally) so the connection is ready.
  while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
  if (status != PGRES_COMMAND_OK) fail(result, "copy");
  PQclear(result);
}

bool Connection::healthy() {
  // Reads what the server sent while the connection was idle: a closed socket (server
  // restart, session ended) marks the connection broken without a round trip. Twice: an
  // ended session first sends its FATAL message, and the end of the stream is only seen by
  // the read after the one that returned the message.
  for (int i = 0; i < 2 && PQconsumeInput(conn_) == 1; ++i) {
  }
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

}  // namespace leadline::store::postgres
