// PostgreSQL: every server session of the running application is ended (as by a database
// restart or failover) between two engine batches. The pool must replace the connections,
// the API must keep answering, and every lead must still finish with exactly its calls.
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

class ReconnectTest : public EngineTest {};

TEST_F(ReconnectTest, LostConnectionsAreReplacedWithoutLosingWork) {
  if (!db_.postgres())
    GTEST_SKIP() << "connections to a database server exist only on PostgreSQL; set "
                    "LEADLINE_TEST_DATABASE_URL (scripts/test.sh does)";
  auto res = api().post("/v1/workflows",
                        {{"title", "Reconnect"}, {"settings", {{"calling_window", nullptr}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string wf = res.json()["id"];
  auto call = create_node(wf, "VOICE_CALL", call_config());
  auto won = create_node(wf, "CONVERTED");
  auto lost = create_node(wf, "DROPPED");
  create_edge(wf, call, won, "COMPLETED");
  create_edge(wf, call, lost);
  constexpr int kLeads = 40;
  Json leads = Json::array();
  for (int i = 0; i < kLeads; ++i)
    leads.push_back({{"phone_number", "+1212555" + std::to_string(1000 + i)},
                     {"dynamic_variables", {{"sim_outcomes", i % 2 ? "COMPLETED" : "BUSY"}}}});
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/leads", {{"leads", leads}}).status, 201);
  activate(wf);
  settle();  // every lead's call placed

  db_.terminate_connections();
  EXPECT_EQ(api().get("/v1/workflows/" + wf).status, 200);  // a replaced connection serves it
  db_.terminate_connections();
  advance(seconds(30));  // the engine's first batch after the loss records every call

  auto counts = api().get("/v1/workflows/" + wf + "/graph").json()["status_counts"];
  EXPECT_EQ(counts.value("completed", 0), kLeads / 2) << counts.dump();
  EXPECT_EQ(counts.value("dropped", 0), kLeads / 2) << counts.dump();
  auto calls = api().get("/v1/calls?limit=100&workflow_id=" + wf).json();
  EXPECT_EQ(calls["meta"]["total"], kLeads) << calls.dump().substr(0, 300);
}

}  // namespace
}  // namespace leadline::test
