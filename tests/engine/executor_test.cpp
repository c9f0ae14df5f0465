// Every node type, edge rule and stall, on a manual clock through the real API and store.
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

using Engine = EngineTest;

std::vector<std::string> outcomes_oldest_first(const Json& calls) {
  std::vector<std::string> out;
  for (auto it = calls.rbegin(); it != calls.rend(); ++it) out.push_back((*it)["outcome"]);
  return out;
}

TEST_F(Engine, CallsAndBranchesOnTheOutcome) {
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL", call_config(), "Call");
  auto won = create_node(wf, "CONVERTED");
  auto lost = create_node(wf, "DROPPED");
  create_edge(wf, call, won, "COMPLETED");
  create_edge(wf, call, lost);
  auto yes = enroll(wf, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "interested=yes"}});
  auto no = enroll(wf, {{"sim_outcomes", "BUSY"}}, "+14155550124");
  settle();
  EXPECT_EQ(lead(wf, yes)["status"], "pending");  // draft: nothing moves
  activate(wf);
  settle();
  EXPECT_EQ(lead(wf, yes)["status"], "active");
  EXPECT_EQ(lead(wf, yes)["current_node_id"], call);
  auto placed = calls_of(yes);
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_EQ(placed[0]["status"], "initiated");
  advance(seconds(30));
  EXPECT_EQ(lead(wf, yes)["status"], "completed");
  EXPECT_EQ(lead(wf, no)["status"], "dropped");
  auto done = calls_of(yes)[0];
  EXPECT_EQ(done["status"], "completed");
  EXPECT_EQ(done["outcome"], "COMPLETED");
  EXPECT_EQ(done["postcall_analysis"]["interested"], "yes");
  EXPECT_EQ(done["to_phone_number"], "+14155550123");
  EXPECT_EQ(done["from_phone_number"], "+14155550100");
  EXPECT_EQ(done["attempt"], 1);
  auto h = history(wf, yes);
  ASSERT_GE(h.size(), 2u);
  EXPECT_EQ(h[0]["node_id"], call);
  EXPECT_EQ(h[0]["outcome"], "COMPLETED");
  EXPECT_EQ(h[0]["edge_label"], "COMPLETED");
  EXPECT_EQ(h[0]["to_node_id"], won);
  EXPECT_EQ(h[0]["call_id"], done["id"]);
  EXPECT_EQ(h[1]["node_type"], "CONVERTED");
}

TEST_F(Engine, RetriesWithinTheNodeUntilMaxAttempts) {
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL",
                          call_config({{"max_attempts", 3}, {"retry_delay_minutes", 60}}));
  auto won = create_node(wf, "CONVERTED");
  auto lost = create_node(wf, "DROPPED");
  create_edge(wf, call, won, "COMPLETED");
  create_edge(wf, call, lost);
  auto lucky = enroll(wf, {{"sim_outcomes", "NO_ANSWER,BUSY,COMPLETED"}});
  auto never = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}}, "+14155550124");
  activate(wf);
  settle();
  advance(seconds(30));
  EXPECT_EQ(calls_of(lucky).size(), 1u);
  advance(minutes(59));
  EXPECT_EQ(calls_of(lucky).size(), 1u);  // the retry waits the full delay
  advance(minutes(1));
  EXPECT_EQ(calls_of(lucky).size(), 2u);
  advance(seconds(30));
  advance(hours(1));
  advance(seconds(30));
  EXPECT_EQ(lead(wf, lucky)["status"], "completed");
  EXPECT_EQ(outcomes_oldest_first(calls_of(lucky)),
            (std::vector<std::string>{"NO_ANSWER", "BUSY", "COMPLETED"}));
  EXPECT_EQ(lead(wf, never)["status"], "dropped");
  EXPECT_EQ(calls_of(never).size(), 3u);
  auto h = history(wf, lucky);
  EXPECT_EQ(h[0]["status"], "retrying");
  EXPECT_EQ(h[0]["attempt"], 1);
  EXPECT_EQ(h[2]["attempt"], 3);
  EXPECT_EQ(h[2]["edge_label"], "COMPLETED");
}

TEST_F(Engine, DnpEdgeCatchesNoAnswerBusyAndVoicemail) {
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL", call_config());
  auto dnp = create_node(wf, "DROPPED", Json::object(), "Did not pick up");
  auto other = create_node(wf, "CONVERTED");
  create_edge(wf, call, other);
  create_edge(wf, call, dnp, "DNP");
  std::vector<std::string> ids;
  int n = 0;
  for (auto outcome : {"NO_ANSWER", "BUSY", "VOICEMAIL", "FAILED", "COMPLETED"})
    ids.push_back(enroll(wf, {{"sim_outcomes", outcome}}, "+1415555020" + std::to_string(n++)));
  activate(wf);
  settle();
  advance(seconds(30));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(lead(wf, ids[i])["current_node_id"], dnp) << i;
  EXPECT_EQ(lead(wf, ids[3])["current_node_id"], other);  // FAILED is not "did not pick up"
  EXPECT_EQ(lead(wf, ids[4])["current_node_id"], other);
  EXPECT_EQ(history(wf, ids[0])[0]["edge_label"], "DNP");
}

TEST_F(Engine, TimeNodeWaitsItsDuration) {
  auto wf = create_workflow();
  auto wait = create_node(wf, "TIME", {{"delay_days", 2}});
  auto done = create_node(wf, "CONVERTED");
  create_edge(wf, wait, done);
  auto id = enroll(wf, Json::object());
  activate(wf);
  settle();
  EXPECT_EQ(lead(wf, id)["current_node_id"], wait);
  EXPECT_EQ(lead(wf, id)["next_action_at"], util::format_iso(kStart + 2 * 86'400'000));
  advance(hours(47));
  EXPECT_EQ(lead(wf, id)["status"], "active");
  advance(hours(1));
  EXPECT_EQ(lead(wf, id)["status"], "completed");
}

TEST_F(Engine, ConditionalBranchesOnAnalysisVariablesAndBranchValues) {
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL", call_config());
  auto check = create_node(
      wf, "CONDITIONAL",
      {{"logic", "AND"},
       {"conditions",
        {{{"field", "postcall_analysis.interested"}, {"operator", "equals"}, {"value", "YES"}},
         {{"field", "lead.city"}, {"operator", "contains"}, {"value", "mum"}}}}});
  auto booked = create_node(wf, "CONVERTED");
  auto closed = create_node(wf, "DROPPED");
  create_edge(wf, call, check);
  create_edge(wf, check, booked, "true");
  create_edge(wf, check, closed, "false");
  auto a = enroll(
      wf, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "interested=yes"}, {"city", "Mumbai"}});
  auto b = enroll(
      wf, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "interested=no"}, {"city", "Mumbai"}},
      "+14155550124");
  activate(wf);
  settle();
  advance(seconds(30));
  EXPECT_EQ(lead(wf, a)["status"], "completed");
  EXPECT_EQ(lead(wf, b)["status"], "dropped");

  auto wf2 = create_workflow("Branches");
  auto call2 = create_node(wf2, "VOICE_CALL", call_config());
  auto route =
      create_node(wf2, "CONDITIONAL",
                  {{"condition_field", "call_status"}, {"branches", {"COMPLETED", "BUSY"}}});
  auto busy = create_node(wf2, "DROPPED", Json::object(), "Busy");
  auto other = create_node(wf2, "CONVERTED");
  create_edge(wf2, call2, route);
  create_edge(wf2, route, busy, "BUSY");
  create_edge(wf2, route, other, "default");
  create_edge(wf2, route, other, "COMPLETED");
  auto c = enroll(wf2, {{"sim_outcomes", "BUSY"}});
  auto d = enroll(wf2, {{"sim_outcomes", "VOICEMAIL"}}, "+14155550124");
  activate(wf2);
  settle();
  advance(seconds(30));
  EXPECT_EQ(lead(wf2, c)["current_node_id"], busy);
  EXPECT_EQ(lead(wf2, d)["current_node_id"], other);
  EXPECT_EQ(history(wf2, d)[1]["outcome"], "default");
}

// The call's result is stored with the lead when the call ends (the store writes a lead's context
// only when a step changed it), and a condition that a delay separates from the call reads it
// in a later batch.
TEST_F(Engine, AConditionAfterADelayReadsTheCallThatEndedBeforeIt) {
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL", call_config());
  auto wait = create_node(wf, "TIME", {{"delay_hours", 2}});
  auto route =
      create_node(wf, "CONDITIONAL", {{"condition_field", "call_status"}, {"branches", {"BUSY"}}});
  auto busy = create_node(wf, "DROPPED", Json::object(), "Busy");
  auto other = create_node(wf, "CONVERTED");
  create_edge(wf, call, wait);
  create_edge(wf, wait, route);
  create_edge(wf, route, busy, "BUSY");
  create_edge(wf, route, other, "default");
  auto a = enroll(wf, {{"sim_outcomes", "BUSY"}});
  auto b = enroll(wf, {{"sim_outcomes", "COMPLETED"}}, "+14155550124");
  activate(wf);
  settle();
  advance(seconds(30));
  EXPECT_EQ(lead(wf, a)["current_node_id"], wait);
  advance(hours(2));
  EXPECT_EQ(lead(wf, a)["current_node_id"], busy);
  EXPECT_EQ(lead(wf, b)["current_node_id"], other);
}

TEST_F(Engine, SetVariablesFeedsLaterConditionsAndSmsFailsWithoutAProvider) {
  auto wf = create_workflow();
  auto set = create_node(wf, "APPLICATION",
                         {{"provider_key", "leadline"},
                          {"action_key", "set_variables"},
                          {"action_config", {{"variables", {{"stage", "warm"}, {"score", 7}}}}}});
  auto sms =
      create_node(wf, "SMS", {{"from_phone_number", "+14155550100"}, {"message", "Hi {{name}}"}});
  auto check = create_node(
      wf, "CONDITIONAL",
      {{"conditions", {{{"field", "score"}, {"operator", "greater_than"}, {"value", 5}}}}});
  auto hot = create_node(wf, "CONVERTED");
  auto cold = create_node(wf, "DROPPED");
  create_edge(wf, set, sms, "success");
  create_edge(wf, sms, check, "failure");
  create_edge(wf, check, hot, "true");
  create_edge(wf, check, cold, "false");
  auto id = enroll(wf, {{"name", "Priya"}});
  activate(wf);
  settle();
  auto l = lead(wf, id);
  EXPECT_EQ(l["status"], "completed");
  EXPECT_EQ(l["dynamic_variables"]["stage"], "warm");
  EXPECT_EQ(l["dynamic_variables"]["score"], "7");
  auto h = history(wf, id);
  ASSERT_EQ(h.size(), 4u);  // instant nodes all ran in one tick
  EXPECT_EQ(h[1]["node_type"], "SMS");
  EXPECT_EQ(h[1]["outcome"], "failure");
  EXPECT_NE(h[1]["reason"].get<std::string>().find("SMS provider"), std::string::npos);
}

TEST_F(Engine, StallsWithoutAnEdgeAndMovesOnAfterAnEdit) {
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL", call_config());
  auto won = create_node(wf, "CONVERTED");
  create_edge(wf, call, won, "COMPLETED");
  auto id = enroll(wf, {{"sim_outcomes", "BUSY"}});
  activate(wf);
  settle();
  advance(seconds(30));
  auto l = lead(wf, id);
  EXPECT_EQ(l["status"], "active");
  EXPECT_EQ(l["stalled"], true);
  auto h = history(wf, id);
  EXPECT_EQ(h[0]["status"], "stalled");
  EXPECT_NE(h[0]["reason"].get<std::string>().find("BUSY"), std::string::npos);
  // The graph's per-node counts mark it stalled (among the waiting) for the dashboard.
  auto counts = api().get("/v1/workflows/" + wf + "/graph").json()["lead_counts"][call];
  EXPECT_EQ(counts, Json({{"active", 0}, {"waiting", 1}, {"stalled", 1}, {"blocked", 0}}));
  // An unrelated edit does not move it, nor add history.
  create_node(wf, "DROPPED");
  settle();
  EXPECT_EQ(lead(wf, id)["stalled"], true);
  auto lost =
      api().get("/v1/workflows/" + wf + "/nodes").json()["data"][2]["id"].get<std::string>();
  create_edge(wf, call, lost, "BUSY");
  settle();
  EXPECT_EQ(lead(wf, id)["status"], "dropped");
  EXPECT_EQ(calls_of(id).size(), 1u);  // moving on never re-places the call
}

TEST_F(Engine, WebhookNodeSendsARealRequestAndBranchesOnTheAnswer) {
  // The webhook target is this test's own server: /healthz answers 200, an unknown path 404.
  auto wf = create_workflow();
  auto ok = create_node(
      wf, "WEBHOOK",
      {{"url", "http://127.0.0.1:" + std::to_string(port_) + "/healthz"}, {"method", "GET"}});
  auto bad = create_node(wf, "WEBHOOK",
                         {{"url", "http://127.0.0.1:" + std::to_string(port_) + "/nope/{{name}}"}});
  auto won = create_node(wf, "CONVERTED");
  auto lost = create_node(wf, "DROPPED");
  create_edge(wf, ok, bad, "success");
  create_edge(wf, ok, lost, "failure");
  create_edge(wf, bad, won, "success");
  create_edge(wf, bad, lost, "failure");
  auto id = enroll(wf, {{"name", "x"}});
  activate(wf);
  settle();
  auto h = history(wf, id);
  ASSERT_EQ(h.size(), 3u) << h.dump();
  EXPECT_EQ(h[0]["outcome"], "success");
  EXPECT_EQ(h[1]["outcome"], "failure");
  EXPECT_EQ(lead(wf, id)["status"], "dropped");
}

}  // namespace
}  // namespace leadline::test
