// Events across processes (events issue, deliverable 6): three `leadline serve` processes on
// one PostgreSQL database, the same 100 numbers enrolled in three workflows whose exit rule
// ends a lead on `won`. Right after activation, while the processes' batches hold leads in
// their first call or starting it, each number's `won` event is posted through one process or
// another. Every lead then ends completed by the rule exactly once, whichever process held it,
// and none places its second call.
#include <gtest/gtest.h>

#include "e2e/e2e_helpers.h"
#include "support/http_client.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace leadline::test {
namespace {

TEST(MultiInstanceEvents, AnEventPostedToAnyProcessEndsTheNumbersLeadsOnceInEveryWorkflow) {
  TempDir dir;
  TestDatabase db(dir.path());
  if (!db.postgres()) GTEST_SKIP() << kSeveralProcessesNeedPostgres;
  const std::string key = create_key(db.url());
  ASSERT_NE(key.find(':'), std::string::npos) << key;
  // 30x: the three-minute delay before the second call is six seconds.
  const std::vector<std::string> flags = {"--database",         db.url(), "--time-scale", "30",
                                          "--sim-call-seconds", "30",     "--rate-limit", "0"};
  constexpr int kWorkflows = 3, kNumbers = 100;
  Fleet fleet(dir.path(), flags, key);
  HttpClient& api = *fleet.apis[0];

  Json leads = Json::array();
  for (int n = 0; n < kNumbers; ++n)
    leads.push_back({{"phone_number", "+1212556" + std::to_string(1000 + n)},
                     {"dynamic_variables", {{"sim_outcomes", "NO_ANSWER"}}}});
  std::vector<std::string> workflows;
  for (int w = 0; w < kWorkflows; ++w) {
    auto res =
        api.post("/v1/workflows",
                 {{"title", "Events " + std::to_string(w)},
                  {"settings",
                   {{"calling_window", nullptr},
                    {"exit_rules", Json::array({{{"event", "won"}, {"status", "completed"}}})}}}});
    ASSERT_EQ(res.status, 201) << res.body;
    const std::string wf = res.json()["id"];
    auto node = [&](const Json& body) {
      return api.post("/v1/workflows/" + wf + "/nodes", body).json()["id"].get<std::string>();
    };
    auto edge = [&](const std::string& from, const std::string& to, const Json& label) {
      EXPECT_EQ(api.post("/v1/workflows/" + wf + "/edges",
                         {{"from_node_id", from}, {"to_node_id", to}, {"label", label}})
                    .status,
                201);
    };
    const Json voice = {{"agent_id", "agt"}, {"from_phone_number", "+14155550100"}};
    const auto first = node({{"node_type", "VOICE_CALL"}, {"config", voice}});
    const auto wait = node({{"node_type", "TIME"}, {"config", {{"delay_minutes", 3}}}});
    const auto second = node({{"node_type", "VOICE_CALL"}, {"config", voice}});
    const auto won = node({{"node_type", "CONVERTED"}});
    const auto lost = node({{"node_type", "DROPPED"}});
    edge(first, won, "COMPLETED");
    edge(first, wait, nullptr);
    edge(wait, second, nullptr);
    edge(second, won, "COMPLETED");
    edge(second, lost, nullptr);
    ASSERT_EQ(api.post("/v1/workflows/" + wf + "/leads", {{"leads", leads}}).status, 201);
    workflows.push_back(wf);
  }
  fleet.activate_across(workflows);

  // Number n's event goes through process n mod 3, all processes posting at once.
  std::vector<std::thread> posters;
  std::vector<int> exited(fleet.apis.size(), 0);
  for (size_t p = 0; p < fleet.apis.size(); ++p)
    posters.emplace_back([&, p] {
      for (size_t n = p; n < kNumbers; n += fleet.apis.size()) {
        auto res = fleet.apis[p]->post(
            "/v1/events",
            {{"type", "won"}, {"phone_number", "+1212556" + std::to_string(1000 + n)}});
        EXPECT_EQ(res.status, 201) << res.body;
        const Json targets = res.json()["data"]["leads"];
        for (const auto& target : targets) exited[p] += target["effect"] == "exited";
      }
    });
  for (auto& t : posters) t.join();
  EXPECT_EQ(exited[0] + exited[1] + exited[2], kWorkflows * kNumbers)
      << "each event reached its number's open lead in every workflow and ended it";

  // Past the delay: no lead called a second time, and calls in flight were recorded.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto open_calls = [&] {
    return query(db.url(),
                 "SELECT count(*) FROM call_rows WHERE status IN ('queued', 'initiated')");
  };
  std::this_thread::sleep_for(std::chrono::seconds(8));
  while (std::chrono::steady_clock::now() < deadline &&
         open_calls() != std::vector<std::string>{"0"})
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(open_calls(), std::vector<std::string>{"0"});
  for (const auto& wf : workflows) {
    const Json counts = api.get("/v1/workflows/" + wf + "/graph").json()["status_counts"];
    EXPECT_EQ(counts.value("completed", 0), kNumbers) << counts.dump();
  }
  EXPECT_EQ(query(db.url(), "SELECT count(*) FROM calls GROUP BY lead_id HAVING count(*) > 1"),
            std::vector<std::string>{})
      << "a lead placed a call after its exit";
  EXPECT_EQ(query(db.url(), "SELECT count(*) FROM lead_history WHERE status = 'exited'"),
            std::vector<std::string>{std::to_string(kWorkflows * kNumbers)});
  EXPECT_EQ(
      query(db.url(), "SELECT count(DISTINCT lead_id) FROM lead_history WHERE status = 'exited'"),
      std::vector<std::string>{std::to_string(kWorkflows * kNumbers)})
      << "one exit per lead";
}

}  // namespace
}  // namespace leadline::test
