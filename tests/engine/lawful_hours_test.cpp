// Calling windows in each lead's own time zone, and callback times read from call
// analysis, on the manual clock through the real API, engine and store.
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

constexpr const char* kLosAngeles = "+12135550123";  // Los Angeles, CA
constexpr const char* kSydney = "+61291234567";      // Sydney landline

class LawfulHours : public EngineTest {
 protected:
  void advance_to(std::string_view iso) {
    const util::Millis target = *util::parse_iso(iso);
    ASSERT_GE(target, clock_->now());
    advance(std::chrono::milliseconds(target - clock_->now()));
  }
  // call -> converted / dropped, with the given workflow settings and call config.
  std::string call_workflow(const Json& settings = Json::object(),
                            const Json& call_extra = Json::object()) {
    auto res = api().post("/v1/workflows", {{"title", "Lawful"}, {"settings", settings}});
    EXPECT_EQ(res.status, 201) << res.body;
    const std::string wf = res.json()["id"];
    call_node_ = create_node(wf, "VOICE_CALL", call_config(call_extra), "Call");
    auto won = create_node(wf, "CONVERTED");
    auto lost = create_node(wf, "DROPPED");
    create_edge(wf, call_node_, won, "COMPLETED");
    create_edge(wf, call_node_, lost);
    return wf;
  }
  static std::vector<std::string> statuses(const Json& history) {
    std::vector<std::string> out;
    for (const auto& h : history) out.push_back(h["status"]);
    return out;
  }
  std::string call_node_;
};

TEST_F(LawfulHours, SydneyAndLosAngelesEachGetTheirOwnLocalOpening) {
  auto wf = call_workflow();
  activate(wf);
  // Friday 2026-05-29 12:00 UTC: 05:00 in Los Angeles, 22:00 in Sydney. Both closed.
  advance_to("2026-05-29T12:00:00Z");
  auto la = enroll(wf, {{"sim_outcomes", "COMPLETED"}}, kLosAngeles);
  auto syd = enroll(wf, {{"sim_outcomes", "COMPLETED"}}, kSydney);
  settle();
  auto la_lead = lead(wf, la);
  EXPECT_EQ(la_lead["timezone"], "America/Los_Angeles");
  EXPECT_EQ(la_lead["timezone_source"], "phone_number");
  EXPECT_EQ(la_lead["next_action_at"], "2026-05-29T15:00:00.000Z");  // 08:00 PDT
  EXPECT_EQ(lead(wf, syd)["timezone"], "Australia/Sydney");
  EXPECT_EQ(lead(wf, syd)["next_action_at"], "2026-05-29T22:00:00.000Z");  // 08:00 AEST
  EXPECT_TRUE(calls_of(la).empty());
  EXPECT_TRUE(calls_of(syd).empty());
  auto waiting = history(wf, la);
  ASSERT_GE(waiting.size(), 1u);
  EXPECT_EQ(waiting[0]["status"], "waiting");
  EXPECT_EQ(waiting[0]["reason"],
            "outside the calling window 08:00-21:00 every day in America/Los_Angeles (from "
            "phone_number); waiting until 2026-05-29T08:00:00-07:00");

  advance_to("2026-05-29T14:59:59Z");
  EXPECT_TRUE(calls_of(la).empty());
  advance_to("2026-05-29T15:00:00Z");
  ASSERT_EQ(calls_of(la).size(), 1u);
  EXPECT_EQ(calls_of(la)[0]["created_at"], "2026-05-29T15:00:00.000Z");
  EXPECT_TRUE(calls_of(syd).empty());

  advance_to("2026-05-29T22:00:00Z");
  ASSERT_EQ(calls_of(syd).size(), 1u);
  EXPECT_EQ(calls_of(syd)[0]["created_at"], "2026-05-29T22:00:00.000Z");
  advance(minutes(1));
  EXPECT_EQ(lead(wf, la)["status"], "completed");
  EXPECT_EQ(lead(wf, syd)["status"], "completed");
}

TEST_F(LawfulHours, OpeningsAfterDaylightSavingNightsInTwoZones) {
  auto wf = call_workflow();
  activate(wf);
  // Sydney springs forward on 2026-10-04 (02:00 AEST -> 03:00 AEDT). Enrolled Saturday
  // 22:00 AEST, the call is at Sunday 08:00 AEDT = 21:00Z, not 22:00Z.
  advance_to("2026-10-03T12:00:00Z");
  auto syd = enroll(wf, Json::object(), kSydney);
  settle();
  EXPECT_EQ(lead(wf, syd)["next_action_at"], "2026-10-03T21:00:00.000Z");
  advance_to("2026-10-03T21:00:00Z");
  EXPECT_EQ(calls_of(syd).size(), 1u);
  // Los Angeles falls back on 2026-11-01 (02:00 PDT -> 01:00 PST). Enrolled Saturday 22:00
  // PDT, the call is at Sunday 08:00 PST = 16:00Z, not 15:00Z.
  advance_to("2026-11-01T05:00:00Z");
  auto la = enroll(wf, Json::object(), kLosAngeles);
  settle();
  EXPECT_EQ(lead(wf, la)["next_action_at"], "2026-11-01T16:00:00.000Z");
  advance_to("2026-11-01T15:00:00Z");
  EXPECT_TRUE(calls_of(la).empty());
  advance_to("2026-11-01T16:00:00Z");
  EXPECT_EQ(calls_of(la).size(), 1u);
}

TEST_F(LawfulHours, RetryThatComesDueAfterHoursWaitsForTheMorning) {
  auto wf = call_workflow(Json::object(), {{"max_attempts", 2}, {"retry_delay_minutes", 60}});
  activate(wf);
  advance_to("2026-05-29T03:30:00Z");  // 20:30 PDT: open
  auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER,COMPLETED"}}, kLosAngeles);
  settle();
  ASSERT_EQ(calls_of(id).size(), 1u);
  advance(seconds(30));  // no answer; the retry is due 21:30 PDT, after hours
  advance(minutes(60));
  EXPECT_EQ(calls_of(id).size(), 1u);
  EXPECT_EQ(lead(wf, id)["next_action_at"], "2026-05-29T15:00:00.000Z");
  EXPECT_EQ(statuses(history(wf, id)),
            (std::vector<std::string>{"retrying", "waiting", "waiting"}));  // + the visit
  advance_to("2026-05-29T15:00:00Z");
  ASSERT_EQ(calls_of(id).size(), 2u);
  EXPECT_EQ(calls_of(id)[0]["attempt"], 2);
}

TEST_F(LawfulHours, LeadVariableAndWorkflowZoneAndSwitchingOff) {
  // A lead's own timezone variable beats its number; a number that says nothing falls back
  // to the workflow's zone.
  auto wf = call_workflow({{"timezone", "Asia/Tokyo"}});
  activate(wf);
  advance_to("2026-05-29T12:00:00Z");  // 21:00 Tokyo (closed), 08:00 New York (open)
  auto by_variable = enroll(wf, {{"timezone", "America/New_York"}}, kLosAngeles);
  auto by_workflow = enroll(wf, Json::object(), "+61412345678");  // mobile: no zone
  settle();
  EXPECT_EQ(lead(wf, by_variable)["timezone_source"], "lead_variable");
  EXPECT_EQ(calls_of(by_variable).size(), 1u);
  EXPECT_EQ(lead(wf, by_workflow)["timezone"], "Asia/Tokyo");
  EXPECT_EQ(lead(wf, by_workflow)["timezone_source"], "workflow_settings");
  EXPECT_TRUE(calls_of(by_workflow).empty());
  EXPECT_EQ(lead(wf, by_workflow)["next_action_at"], "2026-05-29T23:00:00.000Z");

  // null switches the window off: a call at 05:00 local.
  auto anytime = call_workflow({{"calling_window", nullptr}});
  activate(anytime);
  auto early = enroll(anytime, Json::object(), kLosAngeles);
  settle();
  EXPECT_EQ(calls_of(early).size(), 1u);
}

TEST_F(LawfulHours, TheNodesWindowWinsOverTheWorkflows) {
  // Workflow: any time. Node: weekends 10:00-12:00, not on 2026-05-30.
  auto wf = call_workflow({{"calling_window", nullptr}}, {{"calling_window",
                                                           {{"days", {"sat", "sun"}},
                                                            {"start", "10:00"},
                                                            {"end", "12:00"},
                                                            {"blackout_dates", {"2026-05-30"}}}}});
  activate(wf);
  auto id = enroll(wf, Json::object(), kLosAngeles);  // Thursday 13:26 PDT
  settle();
  EXPECT_TRUE(calls_of(id).empty());
  EXPECT_EQ(lead(wf, id)["next_action_at"], "2026-05-31T17:00:00.000Z");  // Sunday 10:00 PDT
  auto h = history(wf, id);
  EXPECT_EQ(h[0]["status"], "waiting");
  EXPECT_EQ(h[0]["reason"],
            "outside the calling window 10:00-12:00 sat, sun, not on blackout dates in "
            "America/Los_Angeles (from phone_number); waiting until 2026-05-31T10:00:00-07:00");
  advance_to("2026-05-31T17:00:00Z");
  EXPECT_EQ(calls_of(id).size(), 1u);
}

TEST_F(LawfulHours, TextsWaitForTheirWindowToo) {
  auto wf = create_workflow();
  auto sms = create_node(wf, "SMS",
                         {{"from_phone_number", "+14155550100"},
                          {"message", "Hi"},
                          {"calling_window", {{"start", "18:00"}, {"end", "19:00"}}}});
  auto done = create_node(wf, "DROPPED");
  create_edge(wf, sms, done);
  activate(wf);
  auto id = enroll(wf, Json::object(), kLosAngeles);  // 13:26 PDT
  settle();
  EXPECT_EQ(lead(wf, id)["status"], "active");
  EXPECT_EQ(lead(wf, id)["next_action_at"], "2026-05-29T01:00:00.000Z");  // 18:00 PDT
  advance_to("2026-05-29T01:00:00Z");
  EXPECT_EQ(lead(wf, id)["status"], "dropped");  // sent (and failed: no SMS provider)
  EXPECT_EQ(statuses(history(wf, id)),
            (std::vector<std::string>{"waiting", "completed", "completed"}));
}

TEST_F(LawfulHours, EditingTheWindowAppliesToLeadsAlreadyWaiting) {
  auto wf = call_workflow();
  activate(wf);
  advance_to("2026-05-29T12:00:00Z");  // 05:00 PDT
  auto first = enroll(wf, Json::object(), kLosAngeles);
  settle();
  EXPECT_EQ(lead(wf, first)["next_action_at"], "2026-05-29T15:00:00.000Z");
  auto graph = api().get("/v1/workflows/" + wf + "/graph").json();
  EXPECT_EQ(graph["lead_counts"][call_node_]["waiting"], 1);
  // An earlier window on the node: the waiting lead re-checks at once and waits less.
  Json config = call_config({{"calling_window", {{"start", "06:00"}, {"end", "21:00"}}}});
  ASSERT_EQ(
      api().patch("/v1/workflows/" + wf + "/nodes/" + call_node_, {{"config", config}}).status,
      200);
  settle();
  EXPECT_EQ(lead(wf, first)["next_action_at"], "2026-05-29T13:00:00.000Z");
  // The window switched off on the workflow and the node: the call goes out now.
  ASSERT_EQ(api()
                .patch("/v1/workflows/" + wf + "/nodes/" + call_node_,
                       {{"config", call_config({{"calling_window", nullptr}})}})
                .status,
            200);
  settle();
  EXPECT_EQ(calls_of(first).size(), 1u);
  // And a workflow-level change wakes them too.
  ASSERT_EQ(api()
                .patch("/v1/workflows/" + wf + "/nodes/" + call_node_, {{"config", call_config()}})
                .status,
            200);
  auto second = enroll(wf, Json::object(), "+12135550124");
  settle();
  EXPECT_TRUE(calls_of(second).empty());
  ASSERT_EQ(
      api().patch("/v1/workflows/" + wf, {{"settings", {{"calling_window", nullptr}}}}).status,
      200);
  settle();
  EXPECT_EQ(calls_of(second).size(), 1u);
}

TEST_F(LawfulHours, PauseAndResumeRecheckTheWindow) {
  auto wf = call_workflow();
  activate(wf);
  advance_to("2026-05-29T12:00:00Z");  // 05:00 PDT
  auto id = enroll(wf, Json::object(), kLosAngeles);
  settle();
  EXPECT_EQ(lead(wf, id)["next_action_at"], "2026-05-29T15:00:00.000Z");
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/pause").status, 200);
  advance_to("2026-05-29T16:00:00Z");  // opened while paused: nothing happens
  EXPECT_TRUE(calls_of(id).empty());
  advance_to("2026-05-30T05:00:00Z");  // 22:00 PDT: closed again
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/resume").status, 200);
  settle();
  EXPECT_TRUE(calls_of(id).empty());  // checked when the step fires, not when scheduled
  EXPECT_EQ(lead(wf, id)["next_action_at"], "2026-05-30T15:00:00.000Z");
  EXPECT_EQ(statuses(history(wf, id)), (std::vector<std::string>{"waiting", "waiting", "waiting"}));
  advance_to("2026-05-30T15:00:00Z");
  EXPECT_EQ(calls_of(id).size(), 1u);
}

TEST_F(LawfulHours, CallbackTimeFromTheCallAnalysis) {
  auto res = api().post("/v1/workflows", {{"title", "Callback"}});
  const std::string wf = res.json()["id"];
  auto first = create_node(wf, "VOICE_CALL", call_config(), "First call");
  auto wait = create_node(wf, "TIME",
                          {{"time_source", "postcall_analysis"},
                           {"pca_field", "callback_time"},
                           {"fallback_minutes", 90}});
  auto second = create_node(wf, "VOICE_CALL", call_config(), "Callback");
  auto done = create_node(wf, "CONVERTED");
  create_edge(wf, first, wait);
  create_edge(wf, wait, second);
  create_edge(wf, second, done);
  activate(wf);
  // Thursday 13:26:40 PDT.
  auto asked =
      enroll(wf, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "callback_time=tomorrow 4 PM"}},
             kLosAngeles);
  auto mumbled =
      enroll(wf, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "callback_time=soonish"}},
             "+12135550124");
  auto silent = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}}, "+12135550125");
  settle();
  advance(seconds(30));
  EXPECT_EQ(lead(wf, asked)["next_action_at"], "2026-05-29T23:00:00.000Z");  // Fri 16:00 PDT
  auto h = history(wf, asked);
  ASSERT_GE(h.size(), 2u);
  EXPECT_EQ(h[1]["status"], "waiting");
  EXPECT_EQ(h[1]["reason"],
            "callback time \"tomorrow 4 PM\" is 2026-05-29T16:00:00-07:00 (America/Los_Angeles)");
  // Unreadable or missing: fallback_minutes after the call ended.
  const std::string fallback = util::format_iso(kStart + 30'000 + 90 * 60'000);
  EXPECT_EQ(lead(wf, mumbled)["next_action_at"], fallback);
  EXPECT_EQ(history(wf, mumbled)[1]["reason"],
            "callback time \"soonish\" is unreadable; waiting fallback_minutes until "
            "2026-05-28T14:57:10-07:00");
  EXPECT_EQ(lead(wf, silent)["next_action_at"], fallback);
  advance_to("2026-05-29T23:00:00Z");
  EXPECT_EQ(calls_of(asked).size(), 2u);
}

TEST_F(LawfulHours, ProjectionMatchesWhatThenHappens) {
  auto res = api().post("/v1/workflows", {{"title", "Projected"}});
  const std::string wf = res.json()["id"];
  auto first = create_node(wf, "VOICE_CALL",
                           call_config({{"max_attempts", 2}, {"retry_delay_minutes", 45}}));
  auto wait = create_node(wf, "TIME", {{"delay_days", 2}});
  auto again = create_node(wf, "VOICE_CALL", call_config());
  auto won = create_node(wf, "CONVERTED");
  auto lost = create_node(wf, "DROPPED");
  create_edge(wf, first, won, "COMPLETED");
  create_edge(wf, first, wait);
  create_edge(wf, wait, again);
  create_edge(wf, again, won, "COMPLETED");
  create_edge(wf, again, lost);
  activate(wf);
  advance_to("2026-05-29T03:50:00Z");  // 20:50 PDT: the retry will fall after hours
  auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER,BUSY,COMPLETED"}}, kLosAngeles);
  const std::string path = "/v1/workflows/" + wf + "/leads/" + id + "/projection";

  auto projected = api().get(path + "?outcomes=NO_ANSWER,busy,COMPLETED");
  ASSERT_EQ(projected.status, 200) << projected.body;
  const Json projection = projected.json();
  EXPECT_EQ(projection["ends"], "completed");
  EXPECT_EQ(projection["timezone"], "America/Los_Angeles");
  EXPECT_EQ(lead(wf, id)["status"], "pending");  // nothing changed
  EXPECT_TRUE(calls_of(id).empty());

  // Run it for real, stepping exactly when the lead is due.
  settle();
  for (int i = 0; i < 20 && lead(wf, id)["status"] == "active"; ++i)
    advance_to(lead(wf, id)["next_action_at"].get<std::string>());
  ASSERT_EQ(lead(wf, id)["status"], "completed");

  std::vector<std::pair<std::string, std::string>> expected_calls, expected_steps;
  for (const auto& step : projection["steps"]) {
    if (step["status"] == "call_placed")
      expected_calls.emplace_back(step["node_id"], step["at"]);
    else
      expected_steps.emplace_back(
          step["status"].get<std::string>() + " " + step["node_id"].get<std::string>(), step["at"]);
  }
  std::vector<std::pair<std::string, std::string>> actual_calls, actual_steps;
  auto calls = calls_of(id);
  for (auto it = calls.rbegin(); it != calls.rend(); ++it)
    actual_calls.emplace_back((*it)["node_id"], (*it)["created_at"]);
  for (const auto& h : history(wf, id))
    actual_steps.emplace_back(
        h["status"].get<std::string>() + " " + h["node_id"].get<std::string>(), h["ended_at"]);
  EXPECT_EQ(actual_calls, expected_calls);
  EXPECT_EQ(actual_steps, expected_steps);
  ASSERT_EQ(actual_calls.size(), 3u);
  EXPECT_EQ(actual_calls[1].second, "2026-05-29T15:00:00.000Z");  // retry at 08:00 PDT
}

TEST_F(LawfulHours, ProjectionRefusesBadOutcomesAndStopsWhereOutcomesRunOut) {
  auto wf = call_workflow();
  auto id = enroll(wf, Json::object(), kLosAngeles);
  const std::string path = "/v1/workflows/" + wf + "/leads/" + id + "/projection";
  expect_error(api().get(path + "?outcomes=NO_ANSWER,MAYBE"), 400);
  expect_error(api().get("/v1/workflows/" + wf + "/leads/lead_nope/projection"), 404);
  auto open_ended = api().get(path).json();  // no outcomes: the first call's is unknown
  EXPECT_EQ(open_ended["ends"], "needs_outcome");
  ASSERT_EQ(open_ended["steps"].size(), 1u);
  EXPECT_EQ(open_ended["steps"][0]["status"], "call_placed");
  EXPECT_EQ(open_ended["steps"][0]["node_id"], call_node_);
}

}  // namespace
}  // namespace leadline::test
