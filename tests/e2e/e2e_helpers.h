#pragma once
// Helpers shared by the end-to-end tests that run the real `leadline` binary: API keys
// through the CLI, the crash-test workflow's expected outcomes, paging through lists, SQL
// run directly on a PostgreSQL test database.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "support/http_client.h"

namespace leadline::test {

inline std::string create_key(const std::string& database) {
  const std::string command =
      std::string(LEADLINE_BINARY) + " keys create --database '" + database + "' --org Crash";
  FILE* pipe = popen(command.c_str(), "r");
  std::string last, line;
  char buf[512];
  while (pipe && std::fgets(buf, sizeof buf, pipe)) {
    line = buf;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) last = line;
  }
  if (pipe) pclose(pipe);
  return last;
}

// The workflow: call (2 tries, 1 minute apart) -> COMPLETED: converted; otherwise wait a
// minute -> call once more -> COMPLETED: converted, otherwise dropped.
struct Expected {
  std::vector<std::string> outcomes;
  std::string status;
  size_t history_entries = 0;  // one per call attempt, the delay, and the terminal node
};
inline Expected expected_for(const std::vector<std::string>& sim) {
  Expected e;
  size_t i = 0;
  auto next = [&] { return sim[std::min(i++, sim.size() - 1)]; };
  for (int attempt = 1; attempt <= 2; ++attempt) {
    e.outcomes.push_back(next());
    const auto& o = e.outcomes.back();
    if (o == "COMPLETED") {
      e.status = "completed";
      e.history_entries = e.outcomes.size() + 1;
      return e;
    }
    if (o != "NO_ANSWER" && o != "BUSY" && o != "VOICEMAIL") break;
  }
  e.outcomes.push_back(next());
  e.status = e.outcomes.back() == "COMPLETED" ? "completed" : "dropped";
  e.history_entries = e.outcomes.size() + 2;
  return e;
}

inline std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

inline Json all_pages(HttpClient& api, const std::string& path) {
  Json items = Json::array();
  for (int page = 1;; ++page) {
    auto res = api.get(path + "&limit=100&page=" + std::to_string(page)).json();
    for (auto& item : res["data"]) items.push_back(item);
    if (page >= res["meta"]["totalPages"].get<int>()) return items;
  }
}

// Answers the first column of each row of `sql`, run directly on the test's database.
inline std::vector<std::string> query(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::vector<std::string> rows;
  if (PQstatus(conn) != CONNECTION_OK) {
    ADD_FAILURE() << PQerrorMessage(conn);
    PQfinish(conn);
    return rows;
  }
  PGresult* result = PQexec(conn, sql.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK) ADD_FAILURE() << PQerrorMessage(conn);
  for (int i = 0; i < PQntuples(result); ++i) rows.emplace_back(PQgetvalue(result, i, 0));
  PQclear(result);
  PQfinish(conn);
  return rows;
}

}  // namespace leadline::test
