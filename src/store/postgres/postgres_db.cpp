#include "store/postgres/postgres_db.h"

#include <charconv>
#include <cstdlib>

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
// session and rolls it back: the expiry of an engine batch's lease (postgres_engine.cpp).
// Far above the time a batch takes to step its leads.
constexpr std::string_view kLeaseTimeout = "30s";

bool is_conflict(std::string_view state) {
  return state.starts_with("23") || state == "40001" || state == "40P01";
}
}  // namespace

void Connection::fail(PGresult* result, std::string_view what) {
  std::string message = std::string(what) + ": ";
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  message += primary ? primary : PQerrorMessage(conn_);
  const std::string code = state ? state : "";
  PQclear(result);
  if (PQstatus(conn_) != CONNECTION_OK) throw ConnectionLost(message);
  if (is_conflict(code)) throw ConflictError(message);
  throw StoreError(message);
}

Statement::~Statement() {
  if (result_) PQclear(result_);
}

void Statement::bind_value(int index, double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  bind_value(index, std::string_view(buf, static_cast<size_t>(end - buf)));
}

void Statement::run() {
  std::vector<const char*> params(values_.size());
  for (size_t i = 0; i < values_.size(); ++i)
    params[i] = values_[i] ? values_[i]->c_str() : nullptr;
  result_ = PQexecPrepared(conn_->handle(), name_->c_str(), static_cast<int>(params.size()),
                           params.data(), nullptr, nullptr, 0);
  const auto status = result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    PGresult* failed = std::exchange(result_, nullptr);
    conn_->fail(failed, "query");
  }
  rows_ = PQntuples(result_);
  row_ = -1;
}

bool Statement::step() {
  if (!result_) run();
  if (row_ + 1 >= rows_) return false;
  ++row_;
  return true;
}

int Statement::exec() {
  if (!result_) run();
  const char* changed = PQcmdTuples(result_);
  return changed && *changed ? std::atoi(changed) : 0;
}

std::string Statement::text(int col) const {
  return std::string(PQgetvalue(result_, row_, col),
                     static_cast<size_t>(PQgetlength(result_, row_, col)));
}
std::optional<std::string> Statement::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}
std::int64_t Statement::integer(int col) const {
  return std::strtoll(PQgetvalue(result_, row_, col), nullptr, 10);
}
std::optional<std::int64_t> Statement::opt_integer(int col) const {
  if (is_null(col)) return std::nullopt;
  return integer(col);
}
double Statement::real(int col) const {
  return std::strtod(PQgetvalue(result_, row_, col), nullptr);
}
bool Statement::is_null(int col) const { return PQgetisnull(result_, row_, col) != 0; }

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
  exec_script("SET client_min_messages = warning; SET idle_in_transaction_session_timeout = '" +
              std::string(kLeaseTimeout) + "'");
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Statement Connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto [text, params] = number_placeholders(sql);
    std::string name = "s" + std::to_string(cache_.size() + 1);
    PGresult* r = PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr);
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, "prepare");
    PQclear(r);
    it = cache_.emplace(std::string(sql), Prepared{std::move(name), params}).first;
  }
  return Statement(*this, it->second.name, it->second.params);
}

void Connection::exec_script(std::string_view sql) {
  PGresult* r = PQexec(conn_, std::string(sql).c_str());
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, "exec");
  PQclear(r);
}

void commit(Connection& conn) {
  try {
    conn.exec_script("COMMIT");
  } catch (const ConnectionLost& e) {
    throw StoreError(std::string("connection lost during COMMIT, outcome unknown: ") + e.what());
  }
}

ConnectionPool::ConnectionPool(std::string url, size_t size) : url_(std::move(url)), size_(size) {
  idle_.push_back(std::make_unique<Connection>(url_));
  open_ = 1;
}

ConnectionPool::Lease ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    // Reads what the server sent while the connection was idle: a closed socket (server
    // restart, session ended) marks the connection broken without a round trip. Twice: an
    // ended session first sends its FATAL message, and the end of the stream is only seen
    // by the read after the one that returned the message.
    for (int i = 0; i < 2 && PQconsumeInput(conn->handle()) == 1; ++i) {
    }
    if (!conn->broken()) return Lease(*this, std::move(conn));
    --open_;  // dropped by the server (restart, idle timeout): replaced below
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Connection>(url_));
  } catch (...) {
    std::lock_guard relock(mutex_);
    --open_;
    available_.notify_one();
    throw;
  }
}

void ConnectionPool::release(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mutex_);
    if (conn->broken() || PQtransactionStatus(conn->handle()) != PQTRANS_IDLE) {
      --open_;
      conn.reset();
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  available_.notify_one();
}

}  // namespace leadline::store::postgres
