// Shared work (issue 5): three `leadline serve` processes on one PostgreSQL database step
// 20,000 leads through calls and delays; one is SIGKILLed midway. Every lead must finish
// with exactly the calls its sim_outcomes imply, each call attempt must exist once, and no
// history may show a step twice — whichever process stepped it.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "e2e/e2e_helpers.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace leadline::test {
namespace {

TEST(MultiInstance, ThreeProcessesOneKilledEveryLeadOnceEveryCallOnce) {
  TempDir dir;
  TestDatabase db(dir.path());
  if (!db.postgres()) GTEST_SKIP() << kSeveralProcessesNeedPostgres;
  const std::string key = create_key(db.url());
  ASSERT_NE(key.find(':'), std::string::npos) << key;
  // 600x: a 30 s call lasts 50 ms of real time, a one-minute delay 100 ms.
  const std::vector<std::string> flags = {"--database",         db.url(), "--time-scale", "600",
                                          "--sim-call-seconds", "30",     "--rate-limit", "0"};
  const std::vector<std::string> profiles = {
      "COMPLETED",     "NO_ANSWER,COMPLETED", "BUSY,NO_ANSWER,COMPLETED",
      "FAILED,FAILED", "VOICEMAIL",           "NO_ANSWER,BUSY,BUSY"};
  constexpr int kLeads = 20000;

  std::vector<std::unique_ptr<ServerProcess>> servers;
  for (int i = 0; i < 3; ++i) servers.push_back(std::make_unique<ServerProcess>(dir.path(), flags));
  HttpClient api(servers[2]->port(), key);
  // Calls at any hour: this test is about sharing work, and runs on the real clock.
  const std::string wf =
      api.post("/v1/workflows", {{"title", "Shared"}, {"settings", {{"calling_window", nullptr}}}})
          .json()["id"];
  auto node = [&](const Json& body) {
    return api.post("/v1/workflows/" + wf + "/nodes", body).json()["id"].get<std::string>();
  };
  const Json call = {{"agent_id", "agt"}, {"from_phone_number", "+14155550100"}};
  Json first_call = call;
  first_call["max_attempts"] = 2;
  first_call["retry_delay_minutes"] = 1;
  auto c1 = node({{"node_type", "VOICE_CALL"}, {"config", first_call}});
  auto wait = node({{"node_type", "TIME"}, {"config", {{"delay_minutes", 1}}}});
  auto c2 = node({{"node_type", "VOICE_CALL"}, {"config", call}});
  auto won = node({{"node_type", "CONVERTED"}});
  auto lost = node({{"node_type", "DROPPED"}});
  auto edge = [&](const std::string& from, const std::string& to, const Json& label) {
    ASSERT_EQ(api.post("/v1/workflows/" + wf + "/edges",
                       {{"from_node_id", from}, {"to_node_id", to}, {"label", label}})
                  .status,
              201);
  };
  edge(c1, won, "COMPLETED");
  edge(c1, wait, nullptr);
  edge(wait, c2, nullptr);
  edge(c2, won, "COMPLETED");
  edge(c2, lost, nullptr);
  Json leads = Json::array();
  for (int i = 0; i < kLeads; ++i)
    leads.push_back({{"phone_number", std::string(i < 10000 ? "+1212555" : "+1646555") +
                                          std::to_string(10000 + i % 10000).substr(1)},
                     {"dynamic_variables", {{"sim_outcomes", profiles[i % profiles.size()]}}}});
  auto enrolled = api.post("/v1/workflows/" + wf + "/leads", {{"leads", leads}});
  ASSERT_EQ(enrolled.status, 201) << enrolled.body.substr(0, 500);
  ASSERT_EQ(enrolled.json()["leads_enrolled"], kLeads);
  // Activated through the second process: every process serves the whole API.
  HttpClient api2(servers[1]->port(), key);
  ASSERT_EQ(api2.post("/v1/workflows/" + wf + "/activate").status, 200);

  // Kill the first process (its scaled clock, started first, runs ahead: it is busy) once a
  // tenth of the leads have finished.
  auto finished = [&](HttpClient& client) {
    auto counts = client.get("/v1/workflows/" + wf + "/graph").json()["status_counts"];
    return counts.value("completed", 0) + counts.value("dropped", 0);
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && finished(api) < kLeads / 10)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const int done_at_kill = finished(api);
  servers[0]->kill_hard();
  ASSERT_LT(done_at_kill, kLeads) << "killed too late to test anything";
  ASSERT_GT(done_at_kill, 0) << "nothing finished within a minute";

  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  int done = 0;
  while (std::chrono::steady_clock::now() < deadline && (done = finished(api2)) < kLeads)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(done, kLeads);

  // Each lead's calls, in order, are the ones its profile implies; no attempt twice.
  std::map<std::string, std::vector<Json>> calls_by_lead;
  for (auto& c : all_pages(api, "/v1/calls?workflow_id=" + wf))
    calls_by_lead[c["lead_id"]].push_back(c);
  auto all_leads = all_pages(api2, "/v1/workflows/" + wf + "/leads?x=1");
  ASSERT_EQ(all_leads.size(), static_cast<size_t>(kLeads));
  for (auto& lead : all_leads) {
    const auto expected = expected_for(split(lead["dynamic_variables"]["sim_outcomes"]));
    auto calls = calls_by_lead[lead["id"]];
    // By node, then attempt: created_at comes from the clock of whichever process placed
    // the call, and scaled clocks of processes started at different times differ.
    auto order = [&](const Json& c) {
      return std::make_pair(c["node_id"] == c1 ? 0 : 1, c["attempt"].get<int>());
    };
    std::sort(calls.begin(), calls.end(),
              [&](const Json& a, const Json& b) { return order(a) < order(b); });
    std::vector<std::string> outcomes;
    std::set<std::pair<std::string, int>> attempts;
    for (auto& c : calls) {
      outcomes.push_back(c["outcome"].is_string() ? c["outcome"].get<std::string>() : "?");
      EXPECT_TRUE(
          attempts.insert({c["node_id"].get<std::string>(), c["attempt"].get<int>()}).second)
          << "attempt placed twice for lead " << lead["id"];
    }
    EXPECT_EQ(outcomes, expected.outcomes) << lead.dump();
    EXPECT_EQ(lead["status"], expected.status) << lead.dump();
  }

  // Every history, checked in the database: no step twice, the expected number of steps.
  EXPECT_EQ(query(db.url(),
                  "SELECT lead_id FROM lead_history GROUP BY lead_id, node_id, "
                  "coalesce(attempt, -1) HAVING count(*) > 1 LIMIT 5"),
            std::vector<std::string>{})
      << "a step appears twice in a history";
  EXPECT_EQ(query(db.url(),
                  "SELECT lead_id FROM calls GROUP BY lead_id, node_id, attempt "
                  "HAVING count(*) > 1 LIMIT 5"),
            std::vector<std::string>{});
  std::map<std::string, size_t> expected_entries;
  for (auto& lead : all_leads)
    expected_entries[lead["id"]] =
        expected_for(split(lead["dynamic_variables"]["sim_outcomes"])).history_entries;
  auto counts =
      query(db.url(), "SELECT lead_id || ' ' || count(*) FROM lead_history GROUP BY lead_id");
  ASSERT_EQ(counts.size(), static_cast<size_t>(kLeads));
  int wrong = 0;
  for (const auto& row : counts) {
    const auto space = row.find(' ');
    const auto id = row.substr(0, space);
    if (std::stoul(row.substr(space + 1)) != expected_entries[id] && ++wrong <= 5)
      ADD_FAILURE() << "lead " << id << " has " << row.substr(space + 1)
                    << " history entries, expected " << expected_entries[id];
  }
  EXPECT_EQ(wrong, 0);
}

}  // namespace
}  // namespace leadline::test
