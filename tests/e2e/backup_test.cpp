// `leadline backup` (issue 13): copies a live SQLite database while a server enrolls and steps
// leads. Each backup must pass integrity_check, hold every enrolment committed before it
// began, hold each enrolment whole or not at all, and serve a second server.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <map>
#include <thread>

#include "e2e/e2e_helpers.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace leadline::test {
namespace {

struct CommandResult {
  int status = -1;
  std::string output;
};

CommandResult run_leadline(const std::string& arguments) {
  const std::string command = std::string(LEADLINE_BINARY) + " " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe)) result.output += buf;
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Rows of the first column of `sql` on the SQLite file at `path`.
std::vector<std::string> sqlite_query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      rows.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

constexpr int kBatchSize = 100;

std::string phone(int batch, int i) {
  return "+1212555" + std::to_string(10000 + batch * kBatchSize + i).substr(1);
}

TEST(Backup, RefusesPostgresAndExistingFilesWithoutForce) {
  TempDir dir;
  auto res = run_leadline("backup --database postgresql://u:p@127.0.0.1:1/db --to '" +
                          (dir.path() / "x.db").string() + "'");
  EXPECT_NE(res.status, 0);
  EXPECT_NE(res.output.find("pg_dump"), std::string::npos) << res.output;

  const std::string db = (dir.path() / "live.db").string();
  ASSERT_NE(create_key("sqlite:" + db).find(':'), std::string::npos);
  const std::string to = (dir.path() / "copy.db").string();
  res = run_leadline("backup --database 'sqlite:" + db + "' --to '" + to + "'");
  ASSERT_EQ(res.status, 0) << res.output;
  res = run_leadline("backup --database 'sqlite:" + db + "' --to '" + to + "'");
  EXPECT_NE(res.status, 0);
  EXPECT_NE(res.output.find("--force"), std::string::npos) << res.output;
  res = run_leadline("backup --database 'sqlite:" + db + "' --to '" + to + "' --force");
  EXPECT_EQ(res.status, 0) << res.output;
  EXPECT_EQ(sqlite_query(to, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

TEST(Backup, CopiesALiveDatabaseConsistentlyWhileAServerWrites) {
  TempDir dir;
  const std::string db = (dir.path() / "live.db").string();
  const std::string key = create_key("sqlite:" + db);
  ASSERT_NE(key.find(':'), std::string::npos) << key;
  // 600x: the simulated calls end within 50 ms, so leads are stepped during the backups.
  ServerProcess server(dir.path(), {"--database", "sqlite:" + db, "--time-scale", "600",
                                    "--sim-call-seconds", "30", "--rate-limit", "0"});
  HttpClient api(server.port(), key);
  const std::string wf = api.post("/v1/workflows", {{"title", "Backed up"},
                                                    {"settings", {{"calling_window", nullptr}}}})
                             .json()["id"];
  auto node = [&](const std::string& type, const Json& config) {
    return api.post("/v1/workflows/" + wf + "/nodes", {{"node_type", type}, {"config", config}})
        .json()["id"]
        .get<std::string>();
  };
  const auto call =
      node("VOICE_CALL", {{"agent_id", "agt"}, {"from_phone_number", "+14155550100"}});
  const auto won = node("CONVERTED", Json::object());
  const auto lost = node("DROPPED", Json::object());
  for (auto [to, label] : {std::pair{won, Json("COMPLETED")}, std::pair{lost, Json()}})
    ASSERT_EQ(api.post("/v1/workflows/" + wf + "/edges",
                       {{"from_node_id", call}, {"to_node_id", to}, {"label", label}})
                  .status,
              201);
  ASSERT_EQ(api.post("/v1/workflows/" + wf + "/activate").status, 200);

  // Enrolments of kBatchSize leads each, one after another, while backups run.
  std::atomic<int> committed{0};  // batches 0..committed-1 answered 201
  std::atomic<bool> stop{false};
  std::thread enroller([&] {
    HttpClient client(server.port(), key);
    for (int batch = 0; batch < 99 && !stop; ++batch) {
      Json leads = Json::array();
      for (int i = 0; i < kBatchSize; ++i)
        leads.push_back({{"phone_number", phone(batch, i)},
                         {"dynamic_variables", {{"sim_outcomes", "NO_ANSWER,COMPLETED"}}}});
      auto res = client.post("/v1/workflows/" + wf + "/leads", {{"leads", leads}});
      if (res.status != 201) {
        ADD_FAILURE() << res.status << " " << res.body.substr(0, 300);
        return;
      }
      committed = batch + 1;
    }
  });

  constexpr int kBackups = 4;
  std::vector<std::pair<std::string, int>> backups;  // file, batches committed before it began
  for (int n = 0; n < kBackups; ++n) {
    while (committed < 5 * (n + 1) && committed < 99)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string to = (dir.path() / ("backup-" + std::to_string(n) + ".db")).string();
    const int before = committed;
    auto res = run_leadline("backup --database 'sqlite:" + db + "' --to '" + to + "'");
    ASSERT_EQ(res.status, 0) << res.output;
    backups.emplace_back(to, before);
  }
  stop = true;
  enroller.join();

  for (const auto& [file, before] : backups) {
    SCOPED_TRACE(file);
    EXPECT_EQ(sqlite_query(file, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    std::map<int, int> per_batch;
    for (const auto& number :
         sqlite_query(file, "SELECT phone_number FROM leads WHERE workflow_id = '" + wf + "'"))
      ++per_batch[std::stoi(number.substr(8)) / kBatchSize];
    for (int batch = 0; batch < before; ++batch)
      EXPECT_EQ(per_batch[batch], kBatchSize) << "batch " << batch << " committed before";
    for (const auto& [batch, count] : per_batch)
      EXPECT_EQ(count, kBatchSize) << "batch " << batch << " copied in part";
    // The workflow's enrolled count moved in the same transactions as its leads.
    int leads = 0;
    for (const auto& [batch, count] : per_batch) leads += count;
    auto enrolled =
        sqlite_query(file, "SELECT enrolled_leads FROM workflows WHERE id = '" + wf + "'");
    ASSERT_EQ(enrolled.size(), 1u);
    EXPECT_EQ(std::stoi(enrolled[0]), leads);
  }

  // The last copy serves a second server with the same key.
  const auto& [last, before] = backups.back();
  ServerProcess second(dir.path(), {"--database", "sqlite:" + last, "--rate-limit", "0"});
  HttpClient copy(second.port(), key);
  auto res = copy.get("/v1/workflows/" + wf + "/leads?limit=1");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_GE(res.json()["meta"]["total"].get<int>(), before * kBatchSize);
  EXPECT_EQ(copy.get("/readyz").status, 200);
}

}  // namespace
}  // namespace leadline::test
