// A lead whose step throws, or whose writes the database refuses, fails alone: the leads of
// other workflows in the same batch move on, and the engine does not retry in a loop.
#include "engine/engine_fixture.h"
#include "support/http_peer.h"

namespace leadline::test {
namespace {

using PoisonLead = EngineTest;

Json last_history_entry(const Json& history) {
  return history.empty() ? Json::object() : history.back();
}

TEST_F(PoisonLead, AStepThatThrowsFailsOnlyItsLead) {
  auto bad = create_workflow("Bad config");
  auto action =
      create_node(bad, "APPLICATION",
                  {{"provider_key", "http"},
                   {"action_key", "request"},
                   {"action_config", {{"url", "http://127.0.0.1:9/x"}, {"timeout_ms", 50}}}});
  create_edge(bad, action, create_node(bad, "CONVERTED"), "success");
  create_edge(bad, action, create_node(bad, "DROPPED"), "failure");
  auto good = create_workflow("Good");
  create_node(good, "CONVERTED");

  auto poisoned = enroll(bad, Json::object());
  auto healthy = enroll(good, Json::object(), "+14155550124");
  activate(bad);
  activate(good);
  // A node config saved before configs were checked (the API now refuses this one).
  auto graph = app_->store().load_graph(bad);
  for (auto node : graph.nodes) {
    if (node.id != action) continue;
    node.config["action_config"]["timeout_ms"] = "x";
    ASSERT_TRUE(app_->store().update_node(node, clock_->now()));
  }
  settle();

  EXPECT_EQ(lead(good, healthy)["status"], "completed");
  auto failed = lead(bad, poisoned);
  EXPECT_EQ(failed["status"], "failed");
  auto entry = last_history_entry(history(bad, poisoned));
  EXPECT_EQ(entry.value("status", ""), "failed") << entry;
  EXPECT_EQ(entry.value("node_id", ""), action) << entry;
  EXPECT_NE(entry.value("reason", "").find("internal error"), std::string::npos) << entry;
  EXPECT_EQ(app_->engine().drain(), 0u);  // nothing left to retry
}

TEST_F(PoisonLead, ALeadWhoseWritesAreRefusedFailsAloneAndTheRestCommit) {
  auto wf = create_workflow("Delays");
  auto wait = create_node(wf, "TIME", {{"delay_minutes", 5}});
  create_edge(wf, wait, create_node(wf, "CONVERTED"));
  std::vector<std::string> leads;
  for (int i = 0; i < 5; ++i)
    leads.push_back(enroll(wf, Json::object(), "+1415555012" + std::to_string(i)));
  const std::string& poisoned = leads[2];
  // The database refuses every change of one lead except its failure, as a corrupt page or a
  // constraint added by an operator might.
  const std::string seq = db_.rows("SELECT seq FROM leads WHERE id = '" + poisoned + "'")[0][0];
  db_.refuse_updates("lead_states", "OLD.lead_seq = " + seq + " AND NEW.status <> 'failed'");
  activate(wf);
  settle();

  for (const auto& id : leads) {
    if (id == poisoned) continue;
    EXPECT_EQ(lead(wf, id)["status"], "active") << id;
    EXPECT_EQ(lead(wf, id)["current_node_id"], wait) << id;
  }
  EXPECT_EQ(lead(wf, poisoned)["status"], "failed");
  auto entry = last_history_entry(history(wf, poisoned));
  EXPECT_EQ(entry.value("status", ""), "failed") << entry;
  EXPECT_NE(entry.value("reason", "").find("refused by the database"), std::string::npos) << entry;

  advance(minutes(5));  // the engine goes back to whole batches
  for (const auto& id : leads) {
    if (id != poisoned) {
      EXPECT_EQ(lead(wf, id)["status"], "completed") << id;
    }
  }
}

TEST_F(PoisonLead, TargetsAnsweringHostileBodiesCannotHurtTheEngine) {
  // Deeply nested JSON (which overflowed the stack when copied) and bytes that are not UTF-8
  // (which no JSON column can store): both are kept as text and the lead moves on.
  HttpPeer target{[](const PeerRequest& request) {
    PeerReply reply;
    reply.body = request.target == "/deep" ? std::string(200'000, '[') : "caf\xe9";
    return reply;
  }};
  auto wf = create_workflow();
  auto deep = create_node(wf, "WEBHOOK", {{"url", target.url() + "/deep"}});
  auto latin1 = create_node(wf, "WEBHOOK", {{"url", target.url() + "/latin1"}});
  auto won = create_node(wf, "CONVERTED");
  create_edge(wf, deep, latin1, "success");
  create_edge(wf, latin1, won, "success");
  auto id = enroll(wf, Json::object());
  activate(wf);
  settle();
  EXPECT_EQ(target.request_count(), 2u);
  EXPECT_EQ(lead(wf, id)["status"], "completed");
  EXPECT_EQ(history(wf, id).size(), 3u);
}

}  // namespace
}  // namespace leadline::test
