// Contact caps and state rules in the engine, on the manual clock (kStart is Thursday
// 2026-05-28 20:26:40 UTC: 16:26 in Miami, 13:26 in San Francisco). A call a cap has no room
// for waits (waiting_for "contact_cap") until the cap allows it, with the cap and the time in
// its history; the eligibility answer says the same, from the same code.
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

constexpr char kCalifornia[] = "+14155550123";  // no state rule
constexpr char kMiami[] = "+13055550123";       // Florida: 08:00-20:00, 3 calls per 24 hours

class ContactCaps : public EngineTest {
 protected:
  // One call, then converted (COMPLETED) or dropped; the calling window is off unless given.
  std::string one_call_workflow(Json settings = {{"calling_window", nullptr}}) {
    auto res = api().post("/v1/workflows", {{"title", "One call"}, {"settings", settings}});
    EXPECT_EQ(res.status, 201) << res.body;
    const std::string wf = res.json()["id"];
    call_node_ = create_node(wf, "VOICE_CALL", call_config(), "Call");
    create_edge(wf, call_node_, create_node(wf, "CONVERTED"), "COMPLETED");
    create_edge(wf, call_node_, create_node(wf, "DROPPED"));
    activate(wf);
    return wf;
  }
  void set_org_settings(const Json& settings) {
    auto res = api().patch("/v1/organization", {{"settings", settings}});
    ASSERT_EQ(res.status, 200) << res.body;
  }
  Json eligibility(const std::string& wf, const std::string& id) {
    return api().get("/v1/workflows/" + wf + "/leads/" + id + "/eligibility").json();
  }
  // What the lead waits for (the history's execution block): delay, call, window, contact_cap…
  std::string waiting_for(const std::string& wf, const std::string& id) {
    return api()
        .get("/v1/workflows/" + wf + "/leads/" + id + "/history")
        .json()["execution"]["waiting_for"];
  }
  // The reason of the lead's latest history row that has one (the visit under way has none).
  std::string last_reason(const std::string& wf, const std::string& id) {
    const Json h = history(wf, id);
    for (auto it = h.rbegin(); it != h.rend(); ++it)
      if ((*it)["reason"].is_string()) return (*it)["reason"];
    return "";
  }
  std::string call_node_;
};

TEST_F(ContactCaps, AnOrganizationCapHoldsTheThirdCallToANumberAcrossWorkflows) {
  set_org_settings({{"contact_caps", Json::array({{{"calls", 2}, {"hours", 24}}})}});
  std::vector<std::pair<std::string, std::string>> leads;  // (workflow, lead)
  for (int i = 0; i < 3; ++i) {
    auto wf = one_call_workflow();
    leads.emplace_back(wf, enroll(wf, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia));
  }
  settle();  // one batch: the cap counts the calls this batch placed
  int called = 0;
  std::pair<std::string, std::string> held;
  for (const auto& [wf, id] : leads) {
    if (calls_of(id).size() == 1u)
      ++called;
    else
      held = {wf, id};
  }
  ASSERT_EQ(called, 2);
  EXPECT_EQ(waiting_for(held.first, held.second), "contact_cap");
  const std::string until = util::format_iso(kStart + 24 * 3'600'000);
  EXPECT_EQ(lead(held.first, held.second)["next_action_at"], until);
  const std::string reason = last_reason(held.first, held.second);
  EXPECT_NE(reason.find("organization's contact cap allows 2 calls per 24 hours"),
            std::string::npos)
      << reason;
  // The eligibility answer names the cap and the same time.
  const Json e = eligibility(held.first, held.second);
  EXPECT_EQ(e["eligible"], false);
  ASSERT_EQ(e["blocked_by"].size(), 1u) << e.dump();
  EXPECT_EQ(e["blocked_by"][0]["rule"], "contact_cap");
  EXPECT_EQ(e["blocked_by"][0]["source"], "organization");
  EXPECT_EQ(e["next_eligible_at"], until);
  // The number's own answer counts the calls.
  const Json n = api().get("/v1/eligibility?phone_number=%2B14155550123").json();
  EXPECT_EQ(n["calls_in_last_24_hours"], 2) << n.dump();
  EXPECT_EQ(n["eligible"], false);

  advance(hours(23));
  EXPECT_TRUE(calls_of(held.second).empty()) << "still inside the rolling window";
  advance(hours(1));
  EXPECT_EQ(calls_of(held.second).size(), 1u) << "the first two calls left the window";
}

TEST_F(ContactCaps, AWorkflowsOwnCapsReplaceTheOrganizations) {
  set_org_settings({{"contact_caps", Json::array({{{"calls", 1}, {"hours", 24}}})}});
  auto uncapped = one_call_workflow({{"calling_window", nullptr}, {"contact_caps", Json::array()}});
  auto first = one_call_workflow();
  auto a = enroll(first, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia);
  settle();
  ASSERT_EQ(calls_of(a).size(), 1u);
  // The organization's cap is full, but this workflow has no caps.
  auto b = enroll(uncapped, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia);
  settle();
  EXPECT_EQ(calls_of(b).size(), 1u);
  // A tighter workflow cap counts the calls of every workflow.
  auto tight = one_call_workflow(
      {{"calling_window", nullptr}, {"contact_caps", Json::array({{{"calls", 2}, {"hours", 1}}})}});
  auto c = enroll(tight, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia);
  settle();
  EXPECT_TRUE(calls_of(c).empty());
  EXPECT_EQ(waiting_for(tight, c), "contact_cap");
  EXPECT_EQ(eligibility(tight, c)["blocked_by"][0]["source"], "workflow");
  advance(hours(1));
  EXPECT_EQ(calls_of(c).size(), 1u);
}

TEST_F(ContactCaps, RaisingTheCapWakesTheLeadsItHeld) {
  set_org_settings({{"contact_caps", Json::array({{{"calls", 1}, {"hours", 24}}})}});
  auto wf = one_call_workflow();
  auto a = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia);
  auto wf2 = one_call_workflow();
  auto b = enroll(wf2, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia);
  settle();
  ASSERT_EQ(calls_of(a).size() + calls_of(b).size(), 1u);
  set_org_settings({{"contact_caps", nullptr}});  // back to the default: no caps
  settle();
  EXPECT_EQ(calls_of(a).size() + calls_of(b).size(), 2u);
}

TEST_F(ContactCaps, FloridaNumbersKeepTheStatesHoursAndCap) {
  // 08:00-21:00 is the workflow's window; Florida allows 08:00-20:00.
  auto wf = one_call_workflow({{"calling_window", {{"start", "08:00"}, {"end", "21:00"}}}});
  auto off = one_call_workflow(
      {{"calling_window", {{"start", "08:00"}, {"end", "21:00"}}}, {"state_rules", false}});
  // 20:30 in Miami and in New York: the Florida lead waits for 08:00, the New York lead and
  // the Florida lead of the workflow without state rules are called.
  clock_->advance(std::chrono::minutes(4 * 60 + 4));  // 00:30:40 UTC = 20:30:40 EDT
  auto miami = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}}, kMiami);
  auto new_york = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}}, "+12125550123");
  auto unruled = enroll(off, {{"sim_outcomes", "NO_ANSWER"}}, "+13055550999");
  settle();
  EXPECT_EQ(calls_of(new_york).size(), 1u);
  EXPECT_EQ(calls_of(unruled).size(), 1u);
  EXPECT_TRUE(calls_of(miami).empty());
  EXPECT_EQ(waiting_for(wf, miami), "window");
  EXPECT_EQ(lead(wf, miami)["next_action_at"], "2026-05-29T12:00:00.000Z");  // 08:00 EDT
  const std::string reason = last_reason(wf, miami);
  EXPECT_NE(reason.find("Florida's lawful hours 08:00-20:00"), std::string::npos) << reason;
  const Json e = eligibility(wf, miami);
  ASSERT_EQ(e["blocked_by"].size(), 1u) << e.dump();
  EXPECT_EQ(e["blocked_by"][0]["rule"], "state_rule");
  EXPECT_EQ(e["next_eligible_at"], "2026-05-29T12:00:00.000Z");

  // The state's cap: three calls per 24 hours to the number, whichever workflow places them.
  advance(hours(12));
  ASSERT_EQ(calls_of(miami).size(), 1u);
  // A number is enrolled once per workflow: three more workflows with the same window.
  std::vector<std::pair<std::string, std::string>> more;  // (workflow, lead)
  for (int i = 0; i < 3; ++i) {
    auto other = one_call_workflow({{"calling_window", {{"start", "08:00"}, {"end", "21:00"}}}});
    more.emplace_back(other, enroll(other, {{"sim_outcomes", "NO_ANSWER"}}, kMiami));
  }
  settle();
  size_t placed = 0;
  for (const auto& [other, id] : more) placed += calls_of(id).size();
  EXPECT_EQ(placed, 2u) << "the first call counts: 1 + 2 = 3";
  for (const auto& [other, id] : more)
    if (calls_of(id).empty()) {
      const std::string why = last_reason(other, id);
      EXPECT_NE(why.find("Florida's state rule allows 3 calls per 24 hours"), std::string::npos)
          << why;
    }
}

TEST_F(ContactCaps, ACapThatLiftsOutsideTheWindowWaitsForItsOpening) {
  set_org_settings({{"contact_caps", Json::array({{{"calls", 1}, {"hours", 6}}})}});
  // 09:00-17:00 in San Francisco; now is 13:26 there: the cap lifts at 19:26, after closing.
  const Json window = {{"calling_window", {{"start", "09:00"}, {"end", "17:00"}}}};
  auto first = one_call_workflow(window);
  auto a = enroll(first, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia);
  auto second = one_call_workflow(window);
  auto b = enroll(second, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia);
  settle();
  ASSERT_EQ(calls_of(a).size() + calls_of(b).size(), 1u);
  const bool a_held = calls_of(a).empty();
  const std::string wf = a_held ? first : second, held = a_held ? a : b;
  const Json e = eligibility(wf, held);
  EXPECT_EQ(e["next_eligible_at"], "2026-05-29T16:00:00.000Z") << e.dump();  // 09:00 PDT
  advance(hours(6));  // the cap lifts at 19:26 PDT: the window is closed
  EXPECT_TRUE(calls_of(held).empty());
  EXPECT_EQ(waiting_for(wf, held), "window");
  EXPECT_EQ(lead(wf, held)["next_action_at"], e["next_eligible_at"]);
  advance(hours(14));
  EXPECT_EQ(calls_of(held).size(), 1u);
}

TEST_F(ContactCaps, ACallStraightAfterAnotherCallsResultIsCappedToo) {
  set_org_settings({{"contact_caps", Json::array({{{"calls", 1}, {"hours", 24}}})}});
  // call -(NO_ANSWER)-> call again at once: the second call comes in the step that records
  // the first one's result, so that step must count the number's calls too.
  auto res = api().post("/v1/workflows",
                        {{"title", "Twice"}, {"settings", {{"calling_window", nullptr}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string wf = res.json()["id"];
  const auto first = create_node(wf, "VOICE_CALL", call_config());
  const auto again = create_node(wf, "VOICE_CALL", call_config());
  create_edge(wf, first, again, "NO_ANSWER");
  create_edge(wf, first, create_node(wf, "CONVERTED"), "COMPLETED");
  create_edge(wf, again, create_node(wf, "DROPPED"));
  activate(wf);
  const auto id = enroll(wf, {{"sim_outcomes", "NO_ANSWER"}}, kCalifornia);
  settle();
  advance(minutes(5));  // the first call has ended
  EXPECT_EQ(calls_of(id).size(), 1u);
  EXPECT_EQ(waiting_for(wf, id), "contact_cap");
  EXPECT_EQ(lead(wf, id)["current_node_id"], again);
  advance(hours(24));
  EXPECT_EQ(calls_of(id).size(), 2u);
}

TEST_F(ContactCaps, OrganizationSettingsAreCheckedAndBadOnesChangeNothing) {
  set_org_settings({{"contact_caps", Json::array({{{"calls", 3}, {"hours", 24}}})}});
  for (const Json& bad :
       {Json{{"settings", {{"contact_caps", {{"calls", 3}}}}}},
        Json{{"settings", {{"contact_caps", Json::array({{{"calls", 0}, {"hours", 24}}})}}}},
        Json{{"settings", {{"state_rules", "yes"}}}},
        Json{{"settings", {{"contact_cap", Json::array()}}}}, Json{{"settings", {{"opt_out", 3}}}},
        Json{{"name", ""}}, Json{{"title", "x"}}}) {
    auto res = api().patch("/v1/organization", bad);
    EXPECT_EQ(res.status, 400) << bad.dump() << " " << res.body;
  }
  const Json org = api().get("/v1/organization").json();
  EXPECT_EQ(org["name"], "Acme");
  EXPECT_EQ(org["settings"]["contact_caps"][0]["calls"], 3) << org.dump();
  EXPECT_TRUE(org["id"].get<std::string>().rfind("org_", 0) == 0);
  // A name another organization has is a conflict; a free one is taken.
  new_org_key("Globex");
  EXPECT_EQ(api().patch("/v1/organization", {{"name", "Globex"}}).status, 409);
  auto renamed = api().patch("/v1/organization", {{"name", "Acme Inc"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json()["name"], "Acme Inc");
  EXPECT_EQ(renamed.json()["settings"]["contact_caps"][0]["hours"], 24);
  // Workflow settings are checked the same way.
  auto wf = api().post("/v1/workflows",
                       {{"title", "x"}, {"settings", {{"contact_caps", {{"calls", 1}}}}}});
  EXPECT_EQ(wf.status, 400) << wf.body;
}

}  // namespace
}  // namespace leadline::test
