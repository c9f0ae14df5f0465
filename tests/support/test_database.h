#pragma once
// The database one test runs on. By default a SQLite file in the test's directory; when
// LEADLINE_TEST_DATABASE_URL names a PostgreSQL server (postgresql://USER@HOST:PORT/DB), a
// fresh schema in that database, dropped with everything in it afterwards. The same tests
// thus run on either backend; scripts/test.sh runs the suite once per backend.
#include <libpq-fe.h>
#include <sqlite3.h>

#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace leadline::test {

// The PostgreSQL server URL the suite runs against, or "" for SQLite.
inline std::string postgres_test_url() {
  const char* url = std::getenv("LEADLINE_TEST_DATABASE_URL");
  return url ? url : "";
}

class TestDatabase {
 public:
  TestDatabase(const std::filesystem::path& dir, const std::string& file = "leadline.db")
      : server_(postgres_test_url()) {
    if (server_.empty()) {
      url_ = "sqlite:" + (dir / file).string();
      return;
    }
    static std::atomic<int> counter{0};
    std::random_device random;
    schema_ = "t" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
              std::to_string(random() % 1000000);
    run("CREATE SCHEMA " + schema_);
    // application_name tags this test's connections (see terminate_connections).
    url_ = server_ + (server_.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + schema_ + "&application_name=" + schema_;
  }
  ~TestDatabase() {
    if (schema_.empty()) return;
    try {
      run("DROP SCHEMA " + schema_ + " CASCADE");
    } catch (...) {
      // The server went away first; scripts/test.sh removes its data directory anyway.
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // The --database URL of this test's database.
  const std::string& url() const { return url_; }
  bool postgres() const { return !schema_.empty(); }
  // Makes the database refuse (with "refused by the database") every UPDATE of `table` for
  // which `condition` holds (SQL over OLD and NEW, the same in both dialects), as a damaged
  // page or an operator's constraint might.
  void refuse_updates(const std::string& table, const std::string& condition) const {
    refuse("UPDATE", table, condition);
  }
  // The same for every DELETE from `table` (conditions over OLD only); answers the trigger's
  // name, for allow_again.
  std::string refuse_deletes(const std::string& table) const {
    return refuse("DELETE", table, "1 = 1");
  }
  void allow_again(const std::string& trigger, const std::string& table) const {
    exec("DROP TRIGGER " + trigger + (postgres() ? " ON " + table : std::string()));
  }
  // A trigger that makes `operation` (INSERT, UPDATE or DELETE) on `table` fail when `condition`
  // holds; answers its name.
  std::string refuse(const std::string& operation, const std::string& table,
                     const std::string& condition) const {
    static std::atomic<int> counter{0};
    const std::string name = "refuse_" + std::to_string(++counter);
    if (postgres()) {
      exec("CREATE FUNCTION " + name +
           "() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the database'; END $$ "
           "LANGUAGE plpgsql; CREATE TRIGGER " +
           name + " BEFORE " + operation + " ON " + table + " FOR EACH ROW WHEN (" + condition +
           ") EXECUTE FUNCTION " + name + "()");
    } else {
      exec("CREATE TRIGGER " + name + " BEFORE " + operation + " ON " + table + " WHEN " +
           condition + " BEGIN SELECT RAISE(ABORT, 'refused by the database'); END");
    }
    return name;
  }
  // Runs SQL on this test's database from outside the server, as an operator (or a broken
  // disk) would; throws when it fails.
  void exec(const std::string& sql) const {
    if (postgres()) return run("SET search_path = " + schema_ + "; " + sql);
    sqlite3* db = nullptr;
    const std::string path = url_.substr(std::string("sqlite:").size());
    char* error = nullptr;
    int rc = sqlite3_open(path.c_str(), &db);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(db, 5000);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    sqlite3_close(db);
    if (rc != SQLITE_OK) throw std::runtime_error(sql + ": " + message);
  }
  // The rows a query answers, each column as text ("" for NULL), read from outside the server.
  std::vector<std::vector<std::string>> rows(const std::string& sql) const {
    std::vector<std::vector<std::string>> out;
    if (postgres()) {
      PGconn* conn = PQconnectdb(server_.c_str());
      PGresult* result = PQexec(conn, ("SET search_path = " + schema_ + "; " + sql).c_str());
      const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
      std::string message = ok ? "" : PQerrorMessage(conn);
      for (int r = 0; ok && r < PQntuples(result); ++r) {
        out.emplace_back();
        for (int c = 0; c < PQnfields(result); ++c)
          out.back().emplace_back(PQgetvalue(result, r, c));
      }
      PQclear(result);
      PQfinish(conn);
      if (!ok) throw std::runtime_error(sql + ": " + message);
      return out;
    }
    sqlite3* db = nullptr;
    sqlite3_stmt* s = nullptr;
    const std::string path = url_.substr(std::string("sqlite:").size());
    int rc = sqlite3_open(path.c_str(), &db);
    if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(db, 5000);
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
    while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
      rc = SQLITE_OK;
      out.emplace_back();
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const auto* text = sqlite3_column_text(s, c);
        out.back().emplace_back(text ? reinterpret_cast<const char*>(text) : "");
      }
    }
    const std::string message = sqlite3_errmsg(db);
    sqlite3_finalize(s);
    sqlite3_close(db);
    if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + message);
    return out;
  }
  // Ends every server session of this test's database (PostgreSQL only) as a server restart
  // or failover would, and waits until they are gone.
  void terminate_connections() const {
    run("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE application_name "
        "= '" +
        schema_ + "' AND pid <> pg_backend_pid()");
  }

 private:
  // Runs one statement on the server; throws (failing the test) when it cannot.
  void run(const std::string& sql) const {
    PGconn* conn = PQconnectdb(server_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string message = PQerrorMessage(conn);
      PQfinish(conn);
      throw std::runtime_error("LEADLINE_TEST_DATABASE_URL: cannot connect: " + message);
    }
    PGresult* result = PQexec(conn, ("SET client_min_messages = warning; " + sql).c_str());
    const bool ok =
        PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
    std::string message = ok ? "" : PQerrorMessage(conn);
    PQclear(result);
    PQfinish(conn);
    if (!ok) throw std::runtime_error(sql + ": " + message);
  }

  std::string server_;
  std::string schema_;
  std::string url_;
};

}  // namespace leadline::test
