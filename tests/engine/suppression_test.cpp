// The do-not-call list in the engine, on the manual clock: an entry added while a lead waits
// stops its next call when that call comes due; an expired, deleted or other workflow's
// entry does not.
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

class SuppressionEngine : public EngineTest {
 protected:
  // call --(COMPLETED)--> converted; otherwise wait a day --> second call --> converted or
  // dropped. Calling windows are off, so only the list decides.
  std::string two_call_workflow() {
    auto res = api().post("/v1/workflows",
                          {{"title", "Two calls"}, {"settings", {{"calling_window", nullptr}}}});
    EXPECT_EQ(res.status, 201) << res.body;
    const std::string wf = res.json()["id"];
    auto first = create_node(wf, "VOICE_CALL", call_config(), "First call");
    auto wait = create_node(wf, "TIME", {{"delay_days", 1}});
    second_ = create_node(wf, "VOICE_CALL", call_config(), "Second call");
    auto won = create_node(wf, "CONVERTED");
    auto lost = create_node(wf, "DROPPED");
    create_edge(wf, first, won, "COMPLETED");
    create_edge(wf, first, wait);
    create_edge(wf, wait, second_);
    create_edge(wf, second_, won, "COMPLETED");
    create_edge(wf, second_, lost);
    return wf;
  }
  std::string suppress(const Json& entry) {
    auto res = api().post("/v1/suppressions", entry);
    EXPECT_TRUE(res.status == 201 || res.status == 200) << res.body;
    return res.json().value("id", "");
  }
  std::string second_;
};

TEST_F(SuppressionEngine, AnEntryAddedWhileALeadWaitsStopsItsNextCall) {
  auto wf = two_call_workflow();
  activate(wf);
  auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER,COMPLETED"}}, "+14155550123");
  settle();             // the first call rings ...
  advance(minutes(1));  // ... and ends unanswered: the lead waits a day
  ASSERT_EQ(calls_of(id).size(), 1u);
  ASSERT_EQ(lead(wf, id)["status"], "active");

  const std::string entry =
      suppress({{"phone_number", "+14155550123"}, {"reason", "asked not to be called"}});
  // The projection (the engine's own step code) says so before it happens.
  const Json projected =
      api().get("/v1/workflows/" + wf + "/leads/" + id + "/projection?outcomes=COMPLETED").json();
  EXPECT_EQ(projected["ends"], "dropped") << projected.dump();
  advance(days(1));
  const Json l = lead(wf, id);
  EXPECT_EQ(l["status"], "dropped");
  EXPECT_EQ(l["drop_reason"], "suppressed");
  EXPECT_EQ(l["next_action_at"], nullptr);
  EXPECT_EQ(calls_of(id).size(), 1u) << "no second call";
  const Json h = history(wf, id);
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h.back()["node_id"], second_);
  EXPECT_EQ(h.back()["status"], "dropped");
  EXPECT_NE(h.back()["reason"].get<std::string>().find(entry), std::string::npos) << h.dump();
  EXPECT_NE(h.back()["reason"].get<std::string>().find("asked not to be called"),
            std::string::npos);

  // Dropped is final: deleting the entry does not bring the lead back.
  ASSERT_EQ(api().del("/v1/suppressions/" + entry).status, 200);
  advance(days(2));
  EXPECT_EQ(lead(wf, id)["status"], "dropped");
  EXPECT_EQ(calls_of(id).size(), 1u);
}

TEST_F(SuppressionEngine, ExpiredDeletedAndOtherWorkflowsEntriesLetTheCallThrough) {
  auto wf = two_call_workflow();
  auto other = two_call_workflow();
  activate(wf);
  const std::string expiring = "+14155550101", deleted = "+14155550102", scoped = "+14155550103",
                    listed = "+14155550104";
  std::map<std::string, std::string> leads;
  for (const auto& phone : {expiring, deleted, scoped, listed})
    leads[phone] = enroll(wf, {{"sim_outcomes", "NO_ANSWER,COMPLETED"}}, phone);
  settle();
  advance(minutes(1));
  suppress({{"phone_number", expiring},
            {"expires_at", util::format_iso(clock_->now() + 12 * 3'600'000)}});
  const std::string gone = suppress({{"phone_number", deleted}});
  suppress({{"phone_number", scoped}, {"workflow_id", other}});
  suppress({{"phone_number", listed}, {"workflow_id", wf}});
  ASSERT_EQ(api().del("/v1/suppressions/" + gone).status, 200);

  advance(days(1));
  advance(minutes(1));
  for (const auto& phone : {expiring, deleted, scoped}) {
    EXPECT_EQ(calls_of(leads[phone]).size(), 2u) << phone;
    EXPECT_EQ(lead(wf, leads[phone])["status"], "completed") << phone;
    EXPECT_EQ(lead(wf, leads[phone])["drop_reason"], nullptr) << phone;
  }
  EXPECT_EQ(calls_of(leads[listed]).size(), 1u);
  EXPECT_EQ(lead(wf, leads[listed])["drop_reason"], "suppressed");
}

TEST_F(SuppressionEngine, ALeadEnrolledBeforeItsNumberWasListedNeverPlacesItsFirstCall) {
  auto wf = two_call_workflow();
  auto id = enroll(wf, {{"sim_outcomes", "COMPLETED"}}, "+14155550123");
  suppress({{"phone_number", "+1 415 555 0123"}});
  activate(wf);
  advance(minutes(1));
  EXPECT_TRUE(calls_of(id).empty());
  EXPECT_EQ(lead(wf, id)["status"], "dropped");
  EXPECT_EQ(lead(wf, id)["drop_reason"], "suppressed");
  // The graph counts it with the dropped leads.
  auto graph = api().get("/v1/workflows/" + wf + "/graph").json();
  EXPECT_NE(graph.dump().find("\"dropped\":1"), std::string::npos) << graph.dump();
}

// The lead says "do not call me" in a call of one workflow (the simulator's analysis): the
// number is listed for the organization in the transaction that records the call, and a lead
// of the same number in another workflow stops before its next call.
TEST_F(SuppressionEngine, AnOptOutInOneWorkflowStopsTheNumberInAnother) {
  auto first = two_call_workflow();
  auto second = two_call_workflow();
  activate(first);
  activate(second);
  const std::string phone = "+14155550123";
  auto waiting = enroll(second, {{"sim_outcomes", "NO_ANSWER,COMPLETED"}}, phone);
  settle();
  advance(minutes(1));  // its first call rang out: it waits a day
  ASSERT_EQ(calls_of(waiting).size(), 1u);

  auto asking =
      enroll(first, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "opt_out=yes"}}, phone);
  settle();
  advance(minutes(1));
  ASSERT_EQ(calls_of(asking).size(), 1u);
  const std::string call_id = calls_of(asking)[0]["id"];
  auto list = api().get("/v1/suppressions").json();
  ASSERT_EQ(list["meta"]["total"], 1) << list.dump();
  const Json entry = list["data"][0];
  EXPECT_EQ(entry["phone_number"], phone);
  EXPECT_EQ(entry["source"], "opt_out");
  EXPECT_EQ(entry["workflow_id"], nullptr);
  EXPECT_NE(entry["reason"].get<std::string>().find(call_id), std::string::npos);

  advance(days(1));
  EXPECT_EQ(calls_of(waiting).size(), 1u) << "no further call reaches the number";
  EXPECT_EQ(lead(second, waiting)["status"], "dropped");
  EXPECT_EQ(lead(second, waiting)["drop_reason"], "suppressed");
  EXPECT_NE(history(second, waiting)
                .back()["reason"]
                .get<std::string>()
                .find(entry["id"].get<std::string>()),
            std::string::npos);
  // A new enrolment of the number anywhere in the organization is skipped.
  auto res = api().post("/v1/workflows/" + first + "/leads", {{"phone_number", phone}});
  EXPECT_EQ(res.json()["suppressed"], 1) << res.body;
}

TEST_F(SuppressionEngine, TheOptOutRuleIsAWorkflowSetting) {
  auto wf = two_call_workflow();
  // Another field and value; "opt_out=yes" no longer counts.
  auto res = api().patch("/v1/workflows/" + wf,
                         {{"settings",
                           {{"calling_window", nullptr},
                            {"opt_out", {{"field", "dnc"}, {"values", {"Please Stop"}}}}}}});
  ASSERT_EQ(res.status, 200) << res.body;
  activate(wf);
  enroll(wf, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "opt_out=yes"}}, "+14155550101");
  enroll(wf, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "dnc=please stop"}}, "+14155550102");
  settle();
  advance(minutes(1));
  auto list = api().get("/v1/suppressions").json();
  ASSERT_EQ(list["meta"]["total"], 1) << list.dump();
  EXPECT_EQ(list["data"][0]["phone_number"], "+14155550102");

  for (const Json& bad :
       {Json("yes"), Json({{"field", ""}}), Json({{"values", {1}}}), Json({{"fields", "x"}})}) {
    res = api().patch("/v1/workflows/" + wf, {{"settings", {{"opt_out", bad}}}});
    expect_error(res, 400);
  }
  auto other = two_call_workflow();
  ASSERT_EQ(api()
                .patch("/v1/workflows/" + other,
                       {{"settings", {{"calling_window", nullptr}, {"opt_out", false}}}})
                .status,
            200);
  activate(other);
  enroll(other, {{"sim_outcomes", "COMPLETED"}, {"sim_analysis", "opt_out=yes"}}, "+14155550103");
  settle();
  advance(minutes(1));
  EXPECT_EQ(api().get("/v1/suppressions").json()["meta"]["total"], 1) << "switched off";
}

// The eligibility answer names every rule that blocks a call and when all of them lift.
TEST_F(SuppressionEngine, EligibilityNamesEveryBlockAndWhenTheyAllLift) {
  auto res =
      api().post("/v1/workflows", {{"title", "Mornings"},
                                   {"settings",
                                    {{"calling_window",
                                      {{"days", {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}},
                                       {"start", "09:00"},
                                       {"end", "12:00"}}}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string wf = res.json()["id"];
  auto call = create_node(wf, "VOICE_CALL", call_config(), "Call");
  auto won = create_node(wf, "CONVERTED");
  create_edge(wf, call, won);
  activate(wf);
  const std::string phone = "+12135550123";  // Los Angeles; now is 13:26 there
  auto id = enroll(wf, {{"sim_outcomes", "COMPLETED"}}, phone);
  settle();
  const std::string path = "/v1/workflows/" + wf + "/leads/" + id + "/eligibility";

  Json e = api().get(path).json();
  EXPECT_EQ(e["eligible"], false) << e.dump();
  ASSERT_EQ(e["blocked_by"].size(), 1u) << e.dump();
  EXPECT_EQ(e["blocked_by"][0]["rule"], "calling_window");
  EXPECT_EQ(e["blocked_by"][0]["until"], "2026-05-29T16:00:00.000Z");  // 09:00 PDT
  EXPECT_EQ(e["next_eligible_at"], "2026-05-29T16:00:00.000Z");
  EXPECT_EQ(e["next_eligible_at"], lead(wf, id)["next_action_at"]) << "as the engine waits";

  // Listed until 10:00 PDT the next day: both rules block; the call may go at 10:00.
  auto entry = suppress({{"phone_number", phone}, {"expires_at", "2026-05-29T17:00:00Z"}});
  e = api().get(path).json();
  ASSERT_EQ(e["blocked_by"].size(), 2u) << e.dump();
  EXPECT_EQ(e["blocked_by"][0]["rule"], "suppression");
  EXPECT_EQ(e["blocked_by"][0]["suppression_id"], entry);
  EXPECT_EQ(e["blocked_by"][0]["until"], "2026-05-29T17:00:00.000Z");
  EXPECT_EQ(e["next_eligible_at"], "2026-05-29T17:00:00.000Z");
  // Listed until 13:00 PDT: the window has closed by then, so the next morning.
  suppress({{"phone_number", phone}, {"expires_at", "2026-05-29T20:00:00Z"}});
  EXPECT_EQ(api().get(path).json()["next_eligible_at"], "2026-05-30T16:00:00.000Z");
  // Listed for good: nothing lifts it.
  suppress({{"phone_number", phone}});
  e = api().get(path).json();
  EXPECT_EQ(e["eligible"], false);
  EXPECT_EQ(e["next_eligible_at"], nullptr);
  ASSERT_EQ(api().del("/v1/suppressions/" + entry).status, 200);

  // Inside the window and unlisted: eligible, and the engine calls.
  advance(hours(20));  // 09:26 PDT
  e = api().get(path).json();
  EXPECT_EQ(e["eligible"], true) << e.dump();
  EXPECT_TRUE(e["blocked_by"].empty());
  EXPECT_EQ(calls_of(id).size(), 1u);
  expect_error(api().get("/v1/workflows/" + wf + "/leads/wlead_nope/eligibility"), 404);
}

}  // namespace
}  // namespace leadline::test
