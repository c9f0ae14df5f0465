// Upgrading a database the previous release wrote. tests/fixtures/release1/ holds a SQLite
// database written by the release of schema 0001–0003 (organizations, keys, workflows in
// every status, nodes of every type, leads in every state — asleep in a delay, in a ringing
// call, finished, removed — their history and calls, webhooks with delivered, failed and
// pending deliveries), and every API answer about it at the moment it was written
// (snapshot.json). The test opens that database with this binary (on PostgreSQL: the same
// rows loaded into a schema made by migrations 0001–0003), which migrates it in place,
// compares every answer with the snapshot, then lets the clock run: leads that were asleep
// or in a call carry on to their end.
//
// The fixture was written by DISABLED_WriteReleaseOneFixture below, built with the release's
// code (commit 38a7a78, its random 14-character ids included):
// LEADLINE_WRITE_FIXTURE=tests/fixtures/release1 build/engine_tests
// --gtest_also_run_disabled_tests --gtest_filter='*WriteReleaseOneFixture'. It is never
// rewritten by a later release: it is what users' databases look like.
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/engine_fixture.h"
#include "store/migrations.h"
#include "store/sql/sql_store.h"

namespace leadline::test {
namespace {

const std::filesystem::path kFixture = std::filesystem::path(LEADLINE_FIXTURES) / "release1";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// SQL that recreates the fixture's rows on PostgreSQL: the release's migrations, then every
// row of every table, with identity counters moved past the copied keys.
std::string postgres_script_from(const std::filesystem::path& sqlite_file) {
  std::string script;
  for (const auto& m : store::postgres_migrations())
    if (m.version <= 3) script += std::string(m.sql) + ";\n";
  script +=
      "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at BIGINT NOT NULL);\n";
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(sqlite_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open the fixture");
  std::vector<std::string> tables;
  {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite_%' ORDER BY rowid",
                       -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW)
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
  }
  for (const auto& table : tables) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, ("SELECT * FROM " + table).c_str(), -1, &s, nullptr);
    std::string columns;
    bool has_seq = false;
    for (int i = 0; i < sqlite3_column_count(s); ++i) {
      const std::string name = sqlite3_column_name(s, i);
      columns += (i ? ", " : "") + name;
      has_seq = has_seq || name == "seq";
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string values;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        values += i ? ", " : "";
        if (sqlite3_column_type(s, i) == SQLITE_NULL) {
          values += "NULL";
          continue;
        }
        std::string text(reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                         static_cast<size_t>(sqlite3_column_bytes(s, i)));
        std::string quoted = "'";
        for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        values += quoted + "'";
      }
      script += "INSERT INTO " + table + " (" + columns + ")" +
                (has_seq && table != "variable_keys" ? " OVERRIDING SYSTEM VALUE" : "") +
                " VALUES (" + values + ");\n";
    }
    sqlite3_finalize(s);
    if (has_seq && table != "variable_keys")
      script += "SELECT setval(pg_get_serial_sequence('" + table + "', 'seq'), " +
                "(SELECT coalesce(max(seq), 0) + 1 FROM " + table + "), false);\n";
  }
  sqlite3_close(db);
  return script;
}

class UpgradeTest : public EngineTest {
 protected:
  void SetUp() override {}  // the database is prepared first (load_fixture), then started

  // Puts the release-1 fixture in this test's database and starts the server on it at the
  // time the fixture was written, with the fixture's API key.
  void load_fixture() {
    copy_fixture();
    start();
  }
  // The fixture's rows in this test's database, as the previous release left them.
  void copy_fixture() {
    snapshot_ = Json::parse(read_file(kFixture / "snapshot.json"));
    if (db_.postgres()) {
      db_.exec(postgres_script_from(kFixture / "leadline.db"));
    } else {
      const std::string path = db_.url().substr(std::string("sqlite:").size());
      std::filesystem::copy_file(kFixture / "leadline.db", path);
    }
    clock_->set(snapshot_["now"].get<util::Millis>());
    key_ = snapshot_["key"].get<std::string>();
  }
  // Every field the release answered is answered the same. A later release may add fields
  // (clients ignore what they do not know), never drop or change one.
  void expect_answers_as_before() {
    const Json now = answers();
    const Json& before = snapshot_["answers"];
    ASSERT_EQ(now.size(), before.size());
    for (const auto& [path, answer] : before.items())
      EXPECT_TRUE(answers_as_before(answer, now[path]))
          << path << "\nbefore: " << answer.dump() << "\nnow: " << now[path].dump();
  }
  static bool answers_as_before(const Json& before, const Json& now) {
    if (before.is_object()) {
      if (!now.is_object()) return false;
      for (const auto& [key, value] : before.items())
        if (!now.contains(key) || !answers_as_before(value, now[key])) return false;
      return true;
    }
    if (before.is_array()) {
      if (!now.is_array() || now.size() != before.size()) return false;
      for (size_t i = 0; i < before.size(); ++i)
        if (!answers_as_before(before[i], now[i])) return false;
      return true;
    }
    return before == now;
  }

  // Every GET the snapshot covers, answered now.
  Json answers() {
    Json out = Json::object();
    auto get = [&](const std::string& path) {
      auto res = api().get(path);
      EXPECT_EQ(res.status, 200) << path << ": " << res.body;
      out[path] = res.json();
      return res.json();
    };
    get("/v1/api-keys");
    const Json webhooks = get("/v1/user-webhooks?limit=100");
    for (const auto& webhook : webhooks["data"])
      get("/v1/user-webhooks/" + webhook["id"].get<std::string>() + "/deliveries?limit=100");
    get("/v1/calls?limit=100");
    const Json workflows = get("/v1/workflows?limit=100");
    for (const auto& workflow : workflows["data"]) {
      const std::string base = "/v1/workflows/" + workflow["id"].get<std::string>();
      get(base);
      get(base + "/graph");
      get(base + "/leads/variable-keys");
      const Json leads = get(base + "/leads?limit=100");
      for (const auto& lead : leads["data"]) {
        get(base + "/leads/" + lead["id"].get<std::string>());
        get(base + "/leads/" + lead["id"].get<std::string>() + "/history");
      }
    }
    return out;
  }

  Json snapshot_;
};

TEST_F(UpgradeTest, AReleaseOneDatabaseUpgradesInPlaceAndAnswersAsBefore) {
  load_fixture();
  expect_answers_as_before();
}

// Each migration after the release's is cut off before it commits, by a process that dies as a
// kill -9 would (no rollback, no close); the next start still upgrades the database whole.
TEST_F(UpgradeTest, AnUpgradeKilledMidWayIsRedoneByTheNextStart) {
  copy_fixture();
  const auto applied = [&] { return db_.rows("SELECT max(version) FROM schema_migrations")[0][0]; };
  ASSERT_EQ(applied(), "3");
  const auto& migrations =
      db_.postgres() ? store::postgres_migrations() : store::sqlite_migrations();
  for (const auto& m : migrations) {
    if (m.version <= 3) continue;
    const std::string version = std::to_string(m.version);
    EXPECT_EXIT(
        {
          setenv("LEADLINE_TEST_DIE_IN_MIGRATION", version.c_str(), 1);
          store::open_store({db_.url()});
        },
        ::testing::ExitedWithCode(store::sql::kDiedInMigration), "")
        << m.name;
    ASSERT_EQ(applied(), "3") << m.name << " was committed although its process died";
  }
  start();
  EXPECT_EQ(applied(), std::to_string(migrations.back().version));
  expect_answers_as_before();
}

// A binary older than its database (a newer release upgraded it) refuses to start, saying
// why, and changes nothing.
TEST_F(UpgradeTest, AnOlderReleaseRefusesADatabaseANewerOneUpgraded) {
  load_fixture();
  client_.reset();
  app_.reset();
  db_.exec(
      "INSERT INTO schema_migrations (version, name, applied_at) "
      "VALUES (9999, '9999_from_the_future.sql', 0)");
  const auto applied = [&] { return db_.rows("SELECT count(*) FROM schema_migrations")[0][0]; };
  const std::string before = applied();
  try {
    store::open_store({db_.url()});
    ADD_FAILURE() << "the store opened a database of a newer release";
  } catch (const store::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("upgraded by a newer release"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("migration 9999"), std::string::npos) << e.what();
  }
  EXPECT_EQ(applied(), before);
}

TEST_F(UpgradeTest, LeadsAsleepOrInACallWhenUpgradedCarryOnToTheirEnd) {
  load_fixture();
  const std::string wf = snapshot_["running_workflow"].get<std::string>();
  auto open_leads = [&] {
    int open = 0;
    const Json leads = api().get("/v1/workflows/" + wf + "/leads?limit=100").json();
    for (const auto& lead : leads["data"]) {
      const auto status = lead["status"].get<std::string>();
      open += status == "active" || status == "pending";
    }
    return open;
  };
  ASSERT_GT(open_leads(), 0);
  for (int i = 0; i < 8; ++i) advance(days(1));
  EXPECT_EQ(open_leads(), 0);
  // Each lead that was waiting reached a terminal node, with its earlier history kept.
  const Json leads = api().get("/v1/workflows/" + wf + "/leads?limit=100").json();
  for (const auto& lead : leads["data"]) {
    const std::string id = lead["id"].get<std::string>();
    const Json old = snapshot_["answers"]["/v1/workflows/" + wf + "/leads/" + id + "/history"];
    const Json now = history(wf, id);
    ASSERT_GE(now.size(), old["history"].size()) << id;
    for (size_t i = 0; i + 1 < old["history"].size(); ++i)
      EXPECT_EQ(now[i], old["history"][i]) << id << " entry " << i;
  }
}

// The release checked a lead's order at each claim; migration 0011 holds each pending delivery
// behind an earlier pending one of its webhook and lead. The fixture's workflows each have two
// pending workflow.status_changed deliveries: the later one waits for the earlier one's end.
TEST_F(UpgradeTest, PendingWebhookDeliveriesStillGoOutInTheirLeadsOrder) {
  load_fixture();
  auto& outbox = app_->store();
  const util::Millis later = clock_->now() + 3'600'000;
  const auto earliest_pending = [&](const store::ClaimedDelivery& c) {
    return db_.rows("SELECT id FROM webhook_deliveries WHERE webhook_id = '" +
                    c.delivery.webhook_id + "' AND order_key = '" + c.delivery.order_key +
                    "' AND status = 'pending' ORDER BY seq LIMIT 1")[0][0];
  };
  const auto first = outbox.claim_deliveries(later, 100, "upgraded", 60'000);
  ASSERT_EQ(db_.rows("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")[0][0],
            "8");
  ASSERT_EQ(first.size(), 6u);  // 8 pending, 2 of them behind another of their workflow
  std::set<std::pair<std::string, std::string>> keys;
  std::vector<store::DeliveryOutcome> delivered;
  for (const auto& c : first) {
    EXPECT_TRUE(keys.emplace(c.delivery.webhook_id, c.delivery.order_key).second);
    EXPECT_EQ(c.delivery.id, earliest_pending(c));
    delivered.push_back({c.delivery.id, "delivered", 200, {}, {}, later});
  }
  EXPECT_TRUE(outbox.claim_deliveries(later + 30'000, 100, "other", 60'000).empty());
  outbox.record_deliveries("upgraded", delivered);
  const auto second = outbox.claim_deliveries(later, 100, "upgraded", 60'000);
  ASSERT_EQ(second.size(), 2u);
  for (const auto& c : second)
    EXPECT_TRUE(keys.count({c.delivery.webhook_id, c.delivery.order_key})) << c.delivery.id;
}

// Migration 0012 dropped the calls' idempotency key column for a unique (lead, node, attempt):
// a provider that reports on a call the release placed, naming it only by the key the release
// sent, still reaches that call. Migration 0015 moved the results: each call the release ended
// still reads as ended, and each it had not is in flight until its report.
TEST_F(UpgradeTest, CallsTheReleasePlacedAreStillFoundByTheirIdempotencyKeys) {
  load_fixture();
  std::vector<std::vector<std::string>> calls;  // id, the key the release sent, ended?
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(
        sqlite3_open_v2((kFixture / "leadline.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
        SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT id, idempotency_key, outcome IS NOT NULL FROM calls", -1, &s,
                       nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < 3; ++i)
        row.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, i)));
      calls.push_back(row);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
  }
  ASSERT_GE(calls.size(), 10u);
  // Migration 0015: the calls without a result are in flight (the release's calls were sent
  // when placed), and each leaves with its result.
  const auto unended =
      std::count_if(calls.begin(), calls.end(), [](const auto& call) { return call[2] == "0"; });
  const auto flights = [&] { return db_.rows("SELECT count(*) FROM calls_in_flight")[0][0]; };
  EXPECT_EQ(flights(), std::to_string(unended));
  int in_flight = 0;
  for (const auto& call : calls) {
    domain::CallReport report;
    report.idempotency_key = call[1];
    const bool ended = call[2] == "1";
    if (!ended) report.outcome = "VOICEMAIL";
    EXPECT_EQ(app_->store().record_call_report(report, clock_->now()),
              ended ? store::CallReportResult::kAlreadyEnded : store::CallReportResult::kRecorded)
        << call[1];
    if (ended) continue;
    ++in_flight;
    EXPECT_EQ(api().get("/v1/calls/" + call[0]).json()["outcome"], "VOICEMAIL") << call[0];
  }
  EXPECT_GE(in_flight, 1);
  EXPECT_EQ(flights(), "0");
  domain::CallReport unknown;
  unknown.idempotency_key = calls[0][1] + "0";  // the same lead and node, attempt 10
  EXPECT_EQ(app_->store().record_call_report(unknown, clock_->now()),
            store::CallReportResult::kUnknownCall);
}

// Writes the fixture (see the top of this file). Run only by hand, with the release's code.
TEST_F(UpgradeTest, DISABLED_WriteReleaseOneFixture) {
  const char* out_dir = std::getenv("LEADLINE_WRITE_FIXTURE");
  ASSERT_NE(out_dir, nullptr) << "set LEADLINE_WRITE_FIXTURE to the fixture directory";
  ASSERT_FALSE(db_.postgres()) << "the fixture is a SQLite file";
  start();
  // Webhooks: one receiving every event at an address that refuses connections (deliveries
  // pending and failed), one paused.
  auto hook =
      api().post("/v1/user-webhooks",
                 {{"url", "http://127.0.0.1:9/hook"},
                  {"events", Json::array({"workflow.lead.completed", "workflow.lead.dropped",
                                          "workflow.status_changed"})}});
  ASSERT_EQ(hook.status, 201) << hook.body;
  auto paused_hook =
      api().post("/v1/user-webhooks", {{"url", "https://hooks.example.com/x"},
                                       {"events", Json::array({"workflow.lead.completed"})}});
  ASSERT_EQ(paused_hook.status, 201) << paused_hook.body;
  api().patch("/v1/user-webhooks/" + paused_hook.json()["id"].get<std::string>(),
              {{"is_active", false}});
  auto revoked = api().post("/v1/api-keys", {{"name", "old"}});
  api().del("/v1/api-keys/" + revoked.json()["id"].get<std::string>());

  // The running workflow: call; if answered wait two days and call again; conditions on the
  // analysis; converted or dropped.
  const std::string wf = create_workflow("Running");
  const auto call1 = create_node(wf, "VOICE_CALL",
                                 call_config({{"max_attempts", 2},
                                              {"retry_delay_minutes", 60},
                                              {"retry_on", Json::array({"NO_ANSWER"})}}),
                                 "First call");
  const auto wait = create_node(wf, "TIME", {{"delay_days", 2}}, "Two days");
  const auto call2 = create_node(wf, "VOICE_CALL", call_config(), "Second call");
  const auto check =
      create_node(wf, "CONDITIONAL",
                  {{"logic", "AND"},
                   {"conditions", Json::array({{{"field", "postcall_analysis.interest"},
                                                {"operator", "equals"},
                                                {"value", "yes"}}})}},
                  "Interested?");
  const auto won = create_node(wf, "CONVERTED", Json::object(), "Won");
  const auto lost = create_node(wf, "DROPPED", Json::object(), "Lost");
  create_edge(wf, call1, wait, "COMPLETED");
  create_edge(wf, call1, lost);
  create_edge(wf, wait, call2);
  create_edge(wf, call2, check, "COMPLETED");
  create_edge(wf, call2, lost);
  create_edge(wf, check, won, "true");
  create_edge(wf, check, lost, "false");
  activate(wf);
  const std::vector<std::pair<std::string, Json>> leads = {
      {"+14155550101",
       {{"name", "Ana"},
        {"sim_outcomes", "COMPLETED,COMPLETED"},
        {"sim_analysis", "interest=yes"}}},
      {"+14155550102",
       {{"name", "Bo"}, {"sim_outcomes", "COMPLETED,COMPLETED"}, {"sim_analysis", "interest=no"}}},
      {"+14155550103", {{"name", "Cy"}, {"sim_outcomes", "BUSY"}}},
      {"+14155550104",
       {{"name", "Di"}, {"sim_outcomes", "NO_ANSWER,COMPLETED,COMPLETED"}, {"city", "Zürich"}}},
      {"+14155550105", {{"name", "Ed"}, {"sim_outcomes", "COMPLETED"}}},
  };
  std::vector<std::string> ids;
  for (const auto& [phone, variables] : leads) ids.push_back(enroll(wf, variables, phone));
  settle();
  advance(seconds(31));  // first calls end: Ana, Bo, Ed asleep two days; Cy dropped; Di retries
  advance(days(2));      // second calls of Ana, Bo and Ed ringing
  ASSERT_EQ(api().del("/v1/workflows/" + wf + "/leads/" + ids[4]).status, 200);  // Ed, mid-call
  advance(seconds(31));  // Ana and Bo through their second calls; Ed's call recorded
  ids.push_back(
      enroll(wf, {{"name", "Fay"}, {"sim_outcomes", "COMPLETED,COMPLETED"}}, "+14155550106"));
  settle();              // Fay's first call ringing
  advance(seconds(31));  // Fay asleep
  ids.push_back(enroll(wf, {{"name", "Gus"}}, "+14155550107"));
  settle();  // Gus in a ringing call when the fixture is written

  // Other workflows: a draft with nodes of every other type, one paused, one cancelled.
  const std::string draft = create_workflow("Draft");
  create_node(draft, "APPLICATION",
              {{"provider_key", "leadline"},
               {"action_key", "set_variables"},
               {"action_config", {{"variables", {{"stage", "new"}}}}}});
  create_node(draft, "WEBHOOK", {{"url", "https://hooks.example.com/lead"}});
  create_node(draft, "SMS", {{"from_phone_number", "+14155550100"}, {"message", "Hi {{name}}"}});
  const std::string paused = create_valid_workflow();
  activate(paused);
  enroll(paused, {{"name", "Hal"}}, "+14155550108");
  settle();
  ASSERT_EQ(api().post("/v1/workflows/" + paused + "/pause").status, 200);
  const std::string cancelled = create_valid_workflow();
  activate(cancelled);
  ASSERT_EQ(api().post("/v1/workflows/" + cancelled + "/cancel").status, 200);

  // Deliveries: let the deliverer try (the receiver refuses) so some are attempted.
  advance(seconds(5));

  Json snapshot = {{"now", clock_->now()}, {"key", key_}, {"running_workflow", wf}};
  snapshot["answers"] = answers();
  app_.reset();  // closes every connection: the WAL is checkpointed into the file
  std::filesystem::create_directories(out_dir);
  const std::string path = db_.url().substr(std::string("sqlite:").size());
  std::filesystem::copy_file(path, std::filesystem::path(out_dir) / "leadline.db",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(std::filesystem::path(out_dir) / "snapshot.json") << snapshot.dump(1) << "\n";
}

}  // namespace
}  // namespace leadline::test
