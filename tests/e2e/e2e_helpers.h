#pragma once
// Helpers shared by the end-to-end tests that run the real `leadline` binary: API keys
// through the CLI, the crash-test workflow's expected outcomes, paging through lists, SQL
// run directly on a PostgreSQL test database, and several processes on one database.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/http_client.h"
#include "support/server_process.h"

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

// Why a test that needs several processes on one database skips on SQLite.
inline constexpr const char* kSeveralProcessesNeedPostgres =
    "several processes share work only on PostgreSQL; set LEADLINE_TEST_DATABASE_URL "
    "(scripts/test.sh does)";

// `leadline serve` processes on one database, each with a client for the same key.
struct Fleet {
  Fleet(const std::filesystem::path& dir, const std::vector<std::string>& flags,
        const std::string& key, int processes = 3) {
    for (int i = 0; i < processes; ++i) {
      servers.push_back(std::make_unique<ServerProcess>(dir, flags));
      apis.push_back(std::make_unique<HttpClient>(servers.back()->port(), key));
    }
  }

  // Activates the workflows through every process at once (workflow i through process
  // i mod n), so each process's batches hold leads of every workflow.
  void activate_across(const std::vector<std::string>& workflows) {
    std::vector<std::thread> activations;
    for (size_t p = 0; p < apis.size(); ++p)
      activations.emplace_back([&, p] {
        for (size_t w = p; w < workflows.size(); w += apis.size())
          EXPECT_EQ(apis[p]->post("/v1/workflows/" + workflows[w] + "/activate").status, 200);
      });
    for (auto& t : activations) t.join();
  }

  std::vector<std::unique_ptr<ServerProcess>> servers;
  std::vector<std::unique_ptr<HttpClient>> apis;
};

// A workflow that calls every lead once, at any hour (after `delay_minutes` if that is not
// 0): COMPLETED goes to CONVERTED, any other outcome to DROPPED. `leads` are enrolled.
inline std::string one_call_workflow(HttpClient& api, const std::string& title, const Json& leads,
                                     int delay_minutes = 0) {
  const std::string wf =
      api.post("/v1/workflows", {{"title", title}, {"settings", {{"calling_window", nullptr}}}})
          .json()["id"];
  auto node = [&](const Json& body) {
    return api.post("/v1/workflows/" + wf + "/nodes", body).json()["id"].get<std::string>();
  };
  auto edge = [&](const std::string& from, const std::string& to, const Json& label) {
    EXPECT_EQ(api.post("/v1/workflows/" + wf + "/edges",
                       {{"from_node_id", from}, {"to_node_id", to}, {"label", label}})
                  .status,
              201);
  };
  std::string delay;
  if (delay_minutes > 0)
    delay = node({{"node_type", "TIME"}, {"config", {{"delay_minutes", delay_minutes}}}});
  const auto call =
      node({{"node_type", "VOICE_CALL"},
            {"config", {{"agent_id", "agt"}, {"from_phone_number", "+14155550100"}}}});
  if (!delay.empty()) edge(delay, call, nullptr);
  edge(call, node({{"node_type", "CONVERTED"}}), "COMPLETED");
  edge(call, node({{"node_type", "DROPPED"}}), nullptr);
  EXPECT_EQ(api.post("/v1/workflows/" + wf + "/leads", {{"leads", leads}}).status, 201);
  return wf;
}

}  // namespace leadline::test
