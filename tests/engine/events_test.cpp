// Events clients report about leads, on the manual clock: exit rules end a lead wherever it
// waits (a delay, a calling window, a call in progress), a number enrolled in two workflows
// hears the event in both, repeats with an idempotency key change nothing, WAIT_FOR_EVENT
// leaves by the event that came or by its timeout, CONDITIONAL reads events, and SPLIT sends
// each lead down one variant by weight, the same one every time.
#include <map>

#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

class EventsEngine : public EngineTest {
 protected:
  // Puts each lead's state back into its lead row, as before migration 0014, which the next
  // start then runs again.
  void rewind_lead_states() {
    const bool pg = db_.postgres();
    const std::string integer = pg ? "BIGINT" : "INTEGER";
    const std::string key = pg ? "seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
                               : "seq INTEGER PRIMARY KEY AUTOINCREMENT";
    db_.exec("CREATE TABLE leads_old (" + key +
             ", id TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL, workflow_id TEXT NOT NULL, "
             "phone_number TEXT NOT NULL, variables TEXT NOT NULL DEFAULT '{}', status TEXT NOT "
             "NULL, current_node_id TEXT, stalled " +
             integer + " NOT NULL DEFAULT 0, wait_kind TEXT NOT NULL DEFAULT 'none', attempt " +
             integer + " NOT NULL DEFAULT 0, call_id TEXT, call_count " + integer +
             " NOT NULL DEFAULT 0, context TEXT NOT NULL DEFAULT '{}', next_action_at " + integer +
             ", lease_owner TEXT, lease_until " + integer + ", entered_at " + integer +
             ", enrolled_at " + integer + " NOT NULL, created_at " + integer +
             " NOT NULL, updated_at " + integer + " NOT NULL, consent TEXT)");
    db_.exec("INSERT INTO leads_old " + std::string(pg ? "OVERRIDING SYSTEM VALUE " : "") +
             "SELECT seq, id, org_id, workflow_id, phone_number, variables, status, "
             "current_node_id, stalled, wait_kind, attempt, call_id, call_count, context, "
             "next_action_at, NULL, NULL, entered_at, enrolled_at, created_at, updated_at, "
             "consent FROM lead_rows");
    if (pg)
      db_.exec(
          "SELECT setval(pg_get_serial_sequence('leads_old', 'seq'), "
          "(SELECT max(seq) FROM leads_old))");
    db_.exec("DROP VIEW lead_rows");
    db_.exec("DROP TABLE lead_contexts");
    db_.exec("DROP TABLE lead_states");
    db_.exec("DROP TABLE leads");
    db_.exec("ALTER TABLE leads_old RENAME TO leads");
    db_.exec("CREATE INDEX leads_workflow_created ON leads(workflow_id, created_at, seq)");
    db_.exec(
        "CREATE INDEX leads_workflow_due ON leads(workflow_id, next_action_at) "
        "WHERE next_action_at IS NOT NULL");
    db_.exec(
        "CREATE INDEX leads_call_detached ON leads(next_action_at) "
        "WHERE wait_kind = 'call_detached'");
    db_.exec("CREATE INDEX leads_workflow_phone ON leads(workflow_id, phone_number)");
    db_.exec("DELETE FROM schema_migrations WHERE version = 14");
  }

 protected:
  // call --(COMPLETED)--> converted; otherwise wait two days --> second call --> converted
  // or dropped. Exit rules: meeting_booked completes the lead, unsubscribed drops it.
  std::string two_call_workflow(Json settings = Json::object()) {
    if (!settings.contains("calling_window")) settings["calling_window"] = nullptr;
    if (!settings.contains("exit_rules"))
      settings["exit_rules"] = Json::array({{{"event", "meeting_booked"}, {"status", "completed"}},
                                            {{"event", "unsubscribed"}, {"status", "dropped"}}});
    auto res = api().post("/v1/workflows", {{"title", "Two calls"}, {"settings", settings}});
    EXPECT_EQ(res.status, 201) << res.body;
    const std::string wf = res.json()["id"];
    auto first = create_node(wf, "VOICE_CALL", call_config(), "First call");
    auto wait = create_node(wf, "TIME", {{"delay_days", 2}});
    auto second = create_node(wf, "VOICE_CALL", call_config(), "Second call");
    auto won = create_node(wf, "CONVERTED");
    auto lost = create_node(wf, "DROPPED");
    create_edge(wf, first, won, "COMPLETED");
    create_edge(wf, first, wait);
    create_edge(wf, wait, second);
    create_edge(wf, second, won, "COMPLETED");
    create_edge(wf, second, lost);
    return wf;
  }
  HttpResult post_event(const Json& event) { return api().post("/v1/events", event); }
  // What the lead waits for, as its history's execution says.
  Json waiting_for(const std::string& wf, const std::string& id) {
    return api()
        .get("/v1/workflows/" + wf + "/leads/" + id + "/history")
        .json()["execution"]["waiting_for"];
  }
  Json event_ok(const Json& event) {
    auto res = post_event(event);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["data"];
  }
  // The history rows of one status.
  static Json rows(const Json& history, const std::string& status) {
    Json out = Json::array();
    for (const auto& h : history)
      if (h["status"] == status) out.push_back(h);
    return out;
  }
};

TEST_F(EventsEngine, AMeetingBookedDuringTheDelayEndsTheLeadAndNoSecondCallIsPlaced) {
  auto wf = two_call_workflow();
  activate(wf);
  auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER,COMPLETED"}});
  settle();
  advance(minutes(1));  // the first call ends unanswered: the lead waits two days
  ASSERT_EQ(lead(wf, id)["status"], "active");
  ASSERT_EQ(calls_of(id).size(), 1u);

  advance(hours(5));
  const Json event = event_ok({{"type", "meeting_booked"},
                               {"lead_id", id},
                               {"data", {{"calendar", "sales"}, {"slot", "2026-06-01T10:00"}}}});
  EXPECT_EQ(event["type"], "meeting_booked");
  ASSERT_EQ(event["leads"].size(), 1u) << event.dump();
  EXPECT_EQ(event["leads"][0]["lead_id"], id);
  EXPECT_EQ(event["leads"][0]["effect"], "exited");
  // At once, not at the next engine tick.
  Json l = lead(wf, id);
  EXPECT_EQ(l["status"], "completed");
  EXPECT_EQ(l["next_action_at"], nullptr);

  advance(days(3));
  EXPECT_EQ(lead(wf, id)["status"], "completed");
  EXPECT_EQ(calls_of(id).size(), 1u) << "never called again";
  const Json h = history(wf, id);
  ASSERT_EQ(rows(h, "event").size(), 1u) << h.dump();
  EXPECT_EQ(rows(h, "event")[0]["outcome"], "meeting_booked");
  ASSERT_EQ(rows(h, "exited").size(), 1u) << h.dump();
  EXPECT_NE(rows(h, "exited")[0]["reason"].get<std::string>().find("meeting_booked"),
            std::string::npos);

  const Json events = api().get("/v1/workflows/" + wf + "/leads/" + id + "/events").json();
  ASSERT_EQ(events["data"].size(), 1u) << events.dump();
  EXPECT_EQ(events["data"][0]["id"], event["id"]);
  EXPECT_EQ(events["data"][0]["data"]["calendar"], "sales");
  EXPECT_EQ(events["data"][0]["effect"], "exited");

  // The graph counts moved with it.
  const Json graph = api().get("/v1/workflows/" + wf + "/graph").json();
  EXPECT_EQ(graph["status_counts"]["completed"], 1) << graph["status_counts"].dump();
  EXPECT_EQ(graph["status_counts"]["active"], 0);
}

TEST_F(EventsEngine, AnExitDuringACallRecordsTheCallButTheLeadDoesNotMoveOn) {
  auto wf = two_call_workflow();
  activate(wf);
  auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER,COMPLETED"}});
  settle();  // the first call rings
  ASSERT_EQ(calls_of(id).size(), 1u);
  ASSERT_EQ(calls_of(id)[0]["status"], "initiated");

  const Json event = event_ok({{"type", "unsubscribed"}, {"lead_id", id}});
  EXPECT_EQ(event["leads"][0]["effect"], "exited");
  Json l = lead(wf, id);
  EXPECT_EQ(l["status"], "dropped");
  EXPECT_EQ(l["drop_reason"], "exit_rule");

  advance(minutes(1));  // the call ends: recorded, and the lead stays where it ended
  const Json calls = calls_of(id);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["status"], "no_answer");
  advance(days(3));
  EXPECT_EQ(lead(wf, id)["status"], "dropped");
  EXPECT_EQ(calls_of(id).size(), 1u);
}

TEST_F(EventsEngine, AnExitEndsALeadWaitingForItsCallingWindow) {
  // A window that is closed now (kStart is 20:26 UTC; the lead is in New York, 16:26) and
  // opens tomorrow morning.
  auto wf = two_call_workflow({{"calling_window", {{"start", "09:00"}, {"end", "10:00"}}}});
  activate(wf);
  auto id = enroll(wf, {{"timezone", "America/New_York"}});
  settle();
  ASSERT_EQ(waiting_for(wf, id), "window") << lead(wf, id).dump();
  EXPECT_EQ(event_ok({{"type", "meeting_booked"}, {"lead_id", id}})["leads"][0]["effect"],
            "exited");
  advance(days(1));
  EXPECT_EQ(lead(wf, id)["status"], "completed");
  EXPECT_TRUE(calls_of(id).empty());
}

TEST_F(EventsEngine, AnEventForANumberReachesItsLeadsInEveryWorkflow) {
  auto with_rules = two_call_workflow();
  auto without = two_call_workflow({{"exit_rules", Json::array()}});
  activate(with_rules);
  activate(without);
  auto a = enroll(with_rules, {{"sim_outcomes", "NO_ANSWER,NO_ANSWER"}}, "+14155550177");
  auto b = enroll(without, {{"sim_outcomes", "NO_ANSWER,NO_ANSWER"}}, "+14155550177");
  auto other = enroll(with_rules, {{"sim_outcomes", "NO_ANSWER,NO_ANSWER"}}, "+14155550178");
  settle();
  advance(minutes(1));

  const Json event = event_ok({{"type", "meeting_booked"}, {"phone_number", "(415) 555-0177"}});
  EXPECT_EQ(event["phone_number"], "+14155550177");
  std::map<std::string, std::string> effects;
  for (const auto& t : event["leads"]) effects[t["lead_id"]] = t["effect"];
  EXPECT_EQ(effects.size(), 2u) << event.dump();
  EXPECT_EQ(effects[a], "exited");
  EXPECT_EQ(effects[b], "recorded");
  EXPECT_EQ(lead(with_rules, a)["status"], "completed");
  EXPECT_EQ(lead(without, b)["status"], "active");
  EXPECT_EQ(lead(with_rules, other)["status"], "active");

  // Limited to one workflow: only that workflow's lead hears it.
  const Json scoped =
      event_ok({{"type", "replied"}, {"phone_number", "+14155550178"}, {"workflow_id", without}});
  EXPECT_TRUE(scoped["leads"].empty()) << scoped.dump();

  advance(days(3));
  EXPECT_EQ(calls_of(a).size(), 1u);
  EXPECT_EQ(calls_of(b).size(), 2u) << "the workflow without exit rules calls again";
}

TEST_F(EventsEngine, DeletingAWorkflowDeletesItsLeadsEventsAndNoOthers) {
  auto gone = two_call_workflow({{"exit_rules", Json::array()}});
  auto kept = two_call_workflow({{"exit_rules", Json::array()}});
  activate(gone);
  activate(kept);
  auto a = enroll(gone, {{"sim_outcomes", "NO_ANSWER,NO_ANSWER"}}, "+14155550177");
  auto b = enroll(kept, {{"sim_outcomes", "NO_ANSWER,NO_ANSWER"}}, "+14155550177");
  settle();
  EXPECT_EQ(event_ok({{"type", "replied"}, {"phone_number", "+14155550177"}})["leads"].size(), 2u);
  const auto event_rows = [&](const std::string& lead_id) {
    return db_.rows("SELECT count(*) FROM inbound_event_leads WHERE lead_id = '" + lead_id +
                    "'")[0][0];
  };
  ASSERT_EQ(event_rows(a), "1");
  ASSERT_EQ(api().post("/v1/workflows/" + gone + "/cancel").status, 200);
  advance(minutes(1));  // the call in flight ends
  auto deleted = api().del("/v1/workflows/" + gone);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(event_rows(a), "0");
  EXPECT_EQ(event_rows(b), "1");
  EXPECT_EQ(api().get("/v1/workflows/" + kept + "/leads/" + b + "/events").json()["data"].size(),
            1u);
}

TEST_F(EventsEngine, ARepeatedIdempotencyKeyChangesNothingAndAnswersTheFirst) {
  auto wf = two_call_workflow({{"exit_rules", Json::array()}});
  activate(wf);
  auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER,NO_ANSWER"}});
  settle();
  const Json body = {{"type", "replied"}, {"lead_id", id}, {"idempotency_key", "crm-42"}};
  const Json first = event_ok(body);
  auto again = post_event(body);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["data"]["id"], first["id"]);
  EXPECT_EQ(again.json()["data"]["leads"], first["leads"]);
  // In a bulk request too, beside a new event.
  auto bulk = post_event({{"events", Json::array({body, {{"type", "replied"}, {"lead_id", id}}})}});
  ASSERT_EQ(bulk.status, 201) << bulk.body;
  EXPECT_EQ(bulk.json()["data"]["events"][0]["id"], first["id"]);
  EXPECT_NE(bulk.json()["data"]["events"][1]["id"], first["id"]);
  const Json events = api().get("/v1/workflows/" + wf + "/leads/" + id + "/events").json();
  EXPECT_EQ(events["data"].size(), 2u) << events.dump();
  EXPECT_EQ(rows(history(wf, id), "event").size(), 2u);
}

TEST_F(EventsEngine, BadEventsAreRefusedAndNothingIsRecorded) {
  auto wf = two_call_workflow();
  activate(wf);
  auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}});
  settle();
  expect_error(post_event({{"type", "meeting booked!"}, {"lead_id", id}}), 400);
  expect_error(post_event({{"type", "replied"}}), 400);
  expect_error(post_event({{"type", "replied"}, {"lead_id", id}, {"phone_number", "+14155550123"}}),
               400);
  expect_error(post_event({{"type", "replied"}, {"lead_id", id}, {"data", "text"}}), 400);
  expect_error(post_event({{"type", "replied"}, {"lead_id", "lead_doesnotexist00"}}), 404);
  expect_error(post_event({{"type", "replied"},
                           {"phone_number", "+14155550123"},
                           {"workflow_id", "wf_nosuchworkflow00"}}),
               400);
  // A bulk request with one unknown lead records none of its events.
  auto bulk = post_event({{"events", Json::array({{{"type", "meeting_booked"}, {"lead_id", id}},
                                                  {{"type", "x"}, {"lead_id", "lead_nope"}}})}});
  expect_error(bulk, 400);
  EXPECT_NE(bulk.body.find("events[1]"), std::string::npos) << bulk.body;
  EXPECT_EQ(lead(wf, id)["status"], "active");
  EXPECT_TRUE(api().get("/v1/workflows/" + wf + "/leads/" + id + "/events").json()["data"].empty());
  // Exit rules are checked with the other settings.
  expect_error(api().patch("/v1/workflows/" + wf,
                           {{"settings", {{"exit_rules", {{{"event", "x"}, {"status", "won"}}}}}}}),
               400);
}

class WaitForEvent : public EventsEngine {
 protected:
  // wait for replied or meeting_booked (3 days) --replied--> converted,
  // --meeting_booked--> converted, --timeout--> dropped.
  std::string waiting_workflow() {
    auto res = api().post("/v1/workflows",
                          {{"title", "Wait"}, {"settings", {{"calling_window", nullptr}}}});
    EXPECT_EQ(res.status, 201) << res.body;
    const std::string wf = res.json()["id"];
    wait_ = create_node(wf, "WAIT_FOR_EVENT",
                        {{"event_types", {"replied", "meeting_booked"}}, {"timeout_days", 3}});
    replied_ = create_node(wf, "CONVERTED", Json::object(), "Replied");
    booked_ = create_node(wf, "CONVERTED", Json::object(), "Booked");
    timed_out_ = create_node(wf, "DROPPED", Json::object(), "Silent");
    create_edge(wf, wait_, replied_, "replied");
    create_edge(wf, wait_, booked_, "meeting_booked");
    create_edge(wf, wait_, timed_out_, "timeout");
    return wf;
  }
  std::string wait_, replied_, booked_, timed_out_;
};

TEST_F(WaitForEvent, LeavesByTheEdgeOfTheEventThatCame) {
  auto wf = waiting_workflow();
  activate(wf);
  auto id = enroll(wf, {});
  settle();
  Json l = lead(wf, id);
  ASSERT_EQ(l["status"], "active");
  EXPECT_EQ(waiting_for(wf, id), "event");
  EXPECT_EQ(l["current_node_id"], wait_);

  advance(hours(20));
  EXPECT_EQ(event_ok({{"type", "unrelated"}, {"lead_id", id}})["leads"][0]["effect"], "resumed");
  settle();
  EXPECT_EQ(lead(wf, id)["current_node_id"], wait_) << "an event it does not wait for";
  EXPECT_EQ(event_ok({{"type", "meeting_booked"}, {"lead_id", id}})["leads"][0]["effect"],
            "resumed");
  settle();
  l = lead(wf, id);
  EXPECT_EQ(l["status"], "completed");
  EXPECT_EQ(l["current_node_id"], booked_);
  const Json h = history(wf, id);
  bool left_by_event = false;
  for (const auto& row : h)
    if (row["node_id"] == wait_ && row["status"] == "completed")
      left_by_event = row["edge_label"] == "meeting_booked";
  EXPECT_TRUE(left_by_event) << h.dump();
}

TEST_F(WaitForEvent, TimesOutWhenNothingComesAndEarlierEventsDoNotCount) {
  auto res = api().post(
      "/v1/workflows", {{"title", "Delay then wait"}, {"settings", {{"calling_window", nullptr}}}});
  const std::string wf = res.json()["id"];
  auto delay = create_node(wf, "TIME", {{"delay_hours", 1}});
  wait_ = create_node(wf, "WAIT_FOR_EVENT", {{"event_types", {"replied"}}, {"timeout_hours", 6}});
  auto won = create_node(wf, "CONVERTED");
  auto lost = create_node(wf, "DROPPED");
  create_edge(wf, delay, wait_);
  create_edge(wf, wait_, won, "replied");
  create_edge(wf, wait_, lost, "timeout");
  activate(wf);
  auto id = enroll(wf, {});
  settle();
  // A reply while the lead is still in the delay: it is recorded, but the wait that follows
  // waits for a new one.
  EXPECT_EQ(event_ok({{"type", "replied"}, {"lead_id", id}})["leads"][0]["effect"], "recorded");
  advance(hours(1));
  Json l = lead(wf, id);
  ASSERT_EQ(l["current_node_id"], wait_);
  EXPECT_EQ(waiting_for(wf, id), "event");
  advance(hours(5));
  EXPECT_EQ(lead(wf, id)["status"], "active");
  advance(hours(1) + minutes(1));
  l = lead(wf, id);
  EXPECT_EQ(l["status"], "dropped") << l.dump();
  EXPECT_EQ(l["current_node_id"], lost);
  // A CONDITIONAL would have seen the earlier reply.
  EXPECT_EQ(rows(history(wf, id), "event").size(), 1u);
}

TEST_F(WaitForEvent, ThePauseOfItsWorkflowStopsTheTimeoutAndAnEventMeanwhileCountsAtResume) {
  auto wf = waiting_workflow();  // waits up to 3 days
  activate(wf);
  auto timing = enroll(wf, {}, "+14155550181");
  auto replying = enroll(wf, {}, "+14155550182");
  settle();
  advance(days(2));
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/pause").status, 200);
  advance(days(1));
  EXPECT_EQ(event_ok({{"type", "replied"}, {"lead_id", replying}})["leads"][0]["effect"],
            "resumed");
  advance(days(2));  // well past the timeout, had it run on
  EXPECT_EQ(lead(wf, timing)["current_node_id"], wait_);
  EXPECT_EQ(lead(wf, replying)["current_node_id"], wait_) << "nothing moves while paused";

  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/resume").status, 200);
  settle();
  EXPECT_EQ(lead(wf, replying)["current_node_id"], replied_) << "the reply counts at resume";
  advance(hours(23));
  EXPECT_EQ(lead(wf, timing)["status"], "active") << "a day of its wait was left at the pause";
  advance(hours(1) + minutes(1));
  const Json l = lead(wf, timing);
  EXPECT_EQ(l["status"], "dropped") << l.dump();
  EXPECT_EQ(l["current_node_id"], timed_out_);
}

TEST_F(EventsEngine, AConditionalReadsTheEventsALeadReceived) {
  auto res = api().post("/v1/workflows", {{"title", "Branch on events"},
                                          {"settings", {{"calling_window", nullptr}}}});
  const std::string wf = res.json()["id"];
  auto delay = create_node(wf, "TIME", {{"delay_hours", 1}});
  auto branch = create_node(
      wf, "CONDITIONAL",
      {{"logic", "AND"},
       {"conditions",
        {{{"field", "events.replied.count"}, {"operator", "greater_than"}, {"value", "1"}},
         {{"field", "events.replied.data.sentiment"},
          {"operator", "equals"},
          {"value", "positive"}}}}});
  auto hot = create_node(wf, "CONVERTED", Json::object(), "Hot");
  auto cold = create_node(wf, "DROPPED", Json::object(), "Cold");
  create_edge(wf, delay, branch);
  create_edge(wf, branch, hot, "true");
  create_edge(wf, branch, cold, "false");
  activate(wf);
  auto yes = enroll(wf, Json::object(), "+14155550111");
  auto no = enroll(wf, Json::object(), "+14155550112");
  settle();
  event_ok({{"type", "replied"}, {"lead_id", yes}, {"data", {{"sentiment", "negative"}}}});
  event_ok({{"type", "replied"}, {"lead_id", yes}, {"data", {{"sentiment", "positive"}}}});
  event_ok({{"type", "replied"}, {"lead_id", no}, {"data", {{"sentiment", "positive"}}}});
  advance(hours(1));
  EXPECT_EQ(lead(wf, yes)["current_node_id"], hot);
  EXPECT_EQ(lead(wf, no)["current_node_id"], cold) << "one reply is not more than one";
}

TEST_F(EventsEngine, TheProjectionTakesAssumedEvents) {
  auto wf = two_call_workflow();
  activate(wf);
  auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER,COMPLETED"}});
  settle();
  advance(minutes(1));
  const Json p = api()
                     .get("/v1/workflows/" + wf + "/leads/" + id +
                          "/projection?outcomes=COMPLETED&events=meeting_booked:60")
                     .json();
  EXPECT_EQ(p["ends"], "exited") << p.dump();
  const Json without =
      api().get("/v1/workflows/" + wf + "/leads/" + id + "/projection?outcomes=COMPLETED").json();
  EXPECT_EQ(without["ends"], "completed") << without.dump();
  expect_error(
      api().get("/v1/workflows/" + wf + "/leads/" + id + "/projection?events=bad%20name:1"), 400);
}

TEST_F(EventsEngine, ASplitSendsLeadsByWeightAndTheSameLeadAlwaysTheSameWay) {
  auto res =
      api().post("/v1/workflows", {{"title", "A/B"}, {"settings", {{"calling_window", nullptr}}}});
  const std::string wf = res.json()["id"];
  auto split = create_node(
      wf, "SPLIT",
      {{"variants", {{{"label", "A"}, {"weight", 70}}, {{"label", "B"}, {"weight", 30}}}}});
  auto a = create_node(wf, "CONVERTED", Json::object(), "A won");
  auto b = create_node(wf, "DROPPED", Json::object(), "B lost");
  create_edge(wf, split, a, "A");
  create_edge(wf, split, b, "B");
  activate(wf);
  constexpr int kLeads = 10'000;
  ASSERT_EQ(enroll_numbered(wf, kLeads, "+1415555").size(), size_t{kLeads});
  settle();
  const Json graph = api().get("/v1/workflows/" + wf + "/graph").json();
  const Json variants = graph["split_variants"][split];
  ASSERT_EQ(variants.size(), 2u) << graph["split_variants"].dump();
  EXPECT_EQ(variants[0]["label"], "A");
  const std::int64_t in_a = variants[0]["leads"], in_b = variants[1]["leads"];
  EXPECT_EQ(in_a + in_b, kLeads);
  // 70 %: the binomial's standard deviation over 10,000 is ~46; allow 5 of them.
  EXPECT_NEAR(double(in_a), 7000.0, 230.0);
  EXPECT_EQ(variants[0]["converted"], in_a);
  EXPECT_EQ(variants[1]["converted"], 0);
  EXPECT_DOUBLE_EQ(variants[0]["conversion_rate"].get<double>(), 1.0);
  EXPECT_EQ(graph["status_counts"]["completed"], in_a);
}

// Migration 0009 fills the variant counts from the history a database of the release before
// it holds, and the engine counts on from there.
TEST_F(EventsEngine, SplitCountsAreFilledFromTheHistoryWhenTheDatabaseUpgrades) {
  auto res =
      api().post("/v1/workflows", {{"title", "A/B"}, {"settings", {{"calling_window", nullptr}}}});
  const std::string wf = res.json()["id"];
  auto split = create_node(
      wf, "SPLIT",
      {{"variants", {{{"label", "A"}, {"weight", 1}}, {{"label", "B"}, {"weight", 1}}}}});
  auto won = create_node(wf, "CONVERTED");
  auto wait = create_node(wf, "TIME", {{"delay_days", 1}});
  auto lost = create_node(wf, "DROPPED");
  create_edge(wf, split, won, "A");
  create_edge(wf, split, wait, "B");
  create_edge(wf, wait, lost);
  activate(wf);
  ASSERT_EQ(enroll_numbered(wf, 200, "+1415558").size(), 200u);
  settle();
  const auto variants = [&] {
    return api().get("/v1/workflows/" + wf + "/graph").json()["split_variants"][split];
  };
  const Json before = variants();
  ASSERT_EQ(before.size(), 2u) << before.dump();
  const std::int64_t in_a = before[0]["leads"];
  EXPECT_EQ(in_a + before[1]["leads"].get<std::int64_t>(), 200);
  EXPECT_EQ(before[0]["converted"], in_a);

  // Back to the schema of migration 0008, as the release that added splits wrote it: its
  // lead rows held their state (migration 0014 moved it to lead_states).
  client_.reset();
  app_.reset();
  rewind_lead_states();
  db_.exec("DROP TABLE split_counts");
  db_.exec("CREATE INDEX inbound_event_leads_workflow ON inbound_event_leads(workflow_id)");
  db_.exec("DELETE FROM schema_migrations WHERE version = 9");
  start();
  EXPECT_EQ(variants(), before);

  ASSERT_EQ(enroll_numbered(wf, 20, "+1415559").size(), 20u);
  settle();
  const Json after = variants();
  EXPECT_EQ(after[0]["leads"].get<std::int64_t>() + after[1]["leads"].get<std::int64_t>(), 220);
  EXPECT_EQ(after[0]["converted"], after[0]["leads"]);
  EXPECT_EQ(after[1]["converted"], 0);
}

TEST_F(EventsEngine, ALeadTakesTheSameVariantOnEveryPassAlsoAfterARestart) {
  // start --> split --A--> wait an hour --> split; --B--> wait an hour --> split: a loop.
  auto res =
      api().post("/v1/workflows", {{"title", "Loop"}, {"settings", {{"calling_window", nullptr}}}});
  const std::string wf = res.json()["id"];
  auto split = create_node(
      wf, "SPLIT",
      {{"variants", {{{"label", "A"}, {"weight", 1}}, {{"label", "B"}, {"weight", 1}}}}});
  auto wait_a = create_node(wf, "TIME", {{"delay_hours", 1}}, "A");
  auto wait_b = create_node(wf, "TIME", {{"delay_hours", 1}}, "B");
  create_edge(wf, split, wait_a, "A");
  create_edge(wf, split, wait_b, "B");
  create_edge(wf, wait_a, split);
  create_edge(wf, wait_b, split);
  // The entry: a graph needs one node without incoming edges.
  auto start = create_node(wf, "TIME", {{"delay_minutes", 1}}, "Start");
  create_edge(wf, start, split);
  activate(wf);
  const Json ids = enroll_numbered(wf, 200, "+1415556");
  ASSERT_EQ(ids.size(), 200u);
  settle();
  advance(minutes(1));
  std::map<std::string, std::string> first;
  int in_a = 0;
  for (const auto& id : ids) {
    first[id] = lead(wf, id)["current_node_id"];
    in_a += first[id] == wait_a;
  }
  EXPECT_GT(in_a, 50);
  EXPECT_LT(in_a, 150);
  restart();
  for (int pass = 0; pass < 2; ++pass) {
    advance(hours(1));
    for (const auto& [id, node] : first)
      ASSERT_EQ(lead(wf, id)["current_node_id"], node) << id << " pass " << pass;
  }
  // Three passes each, counted once per lead.
  const Json variants = api().get("/v1/workflows/" + wf + "/graph").json()["split_variants"][split];
  ASSERT_EQ(variants.size(), 2u) << variants.dump();
  EXPECT_EQ(variants[0]["leads"], in_a);
  EXPECT_EQ(variants[1]["leads"], 200 - in_a);
}

}  // namespace
}  // namespace leadline::test
