// Consent (compliance extension, spec §7a): leads carry the consent they gave; a workflow that
// requires it refuses leads without it at enrolment and checks it again before every call.
#include "engine/engine_fixture.h"
#include "support/multipart_body.h"

namespace leadline::test {
namespace {

class Consent : public EngineTest {
 protected:
  // call -> converted, with the given settings (calling windows off).
  std::string call_workflow(Json settings) {
    settings["calling_window"] = nullptr;
    auto res = api().post("/v1/workflows", {{"title", "Consent"}, {"settings", settings}});
    EXPECT_EQ(res.status, 201) << res.body;
    const std::string wf = res.json()["id"];
    call_ = create_node(wf, "VOICE_CALL", call_config(), "Call");
    create_edge(wf, call_, create_node(wf, "CONVERTED"));
    return wf;
  }
  HttpResult enroll_many(const std::string& wf, const Json& leads, const std::string& query = "") {
    return api().post("/v1/workflows/" + wf + "/leads" + query, {{"leads", leads}});
  }
  static Json with_consent(const std::string& phone, const std::string& type) {
    return {{"phone_number", phone},
            {"consent",
             {{"type", type},
              {"source", "web form"},
              {"obtained_at", "2026-05-01T10:00:00+02:00"},
              {"evidence", {{"ip", "203.0.113.7"}, {"form", "signup-v3"}}}}}};
  }
  std::string call_;
};

TEST_F(Consent, ARequiringWorkflowRefusesLeadsWithoutEnoughConsent) {
  auto wf = call_workflow({{"require_consent", "express_written"}});
  auto res = enroll_many(wf, {with_consent("+14155550100", "express_written"),
                              with_consent("+14155550101", "express"),
                              {{"phone_number", "+14155550102"}}});
  expect_error(res, 400);
  ASSERT_EQ(res.json()["errors"].size(), 2u) << res.body;
  EXPECT_EQ(res.json()["errors"][0]["rows"], Json::array({2})) << res.body;
  EXPECT_NE(res.json()["errors"][0]["reason"].get<std::string>().find("the lead's is express"),
            std::string::npos);
  EXPECT_EQ(res.json()["errors"][1]["rows"], Json::array({3})) << res.body;
  EXPECT_EQ(api().get("/v1/workflows/" + wf + "/leads").json()["meta"]["total"], 0);

  res = enroll_many(wf,
                    {with_consent("+14155550100", "express_written"),
                     with_consent("+14155550101", "express"),
                     {{"phone_number", "+14155550102"}}},
                    "?skip_invalid=true");
  ASSERT_EQ(res.status, 201) << res.body;
  ASSERT_EQ(res.json()["leads_enrolled"], 1);
  const Json lead_json = lead(wf, res.json()["lead_ids"][0]);
  EXPECT_EQ(lead_json["consent"]["type"], "express_written");
  EXPECT_EQ(lead_json["consent"]["source"], "web form");
  EXPECT_EQ(lead_json["consent"]["obtained_at"], "2026-05-01T08:00:00.000Z");
  EXPECT_EQ(lead_json["consent"]["evidence"]["form"], "signup-v3");

  // Malformed consent is a row error anywhere, required or not.
  auto open = call_workflow(Json::object());
  for (const Json& bad : {Json("yes"), Json({{"type", "verbal"}}), Json({{"source", "form"}}),
                          Json({{"type", "express"}, {"obtained_at", "2031-01-01T00:00:00Z"}}),
                          Json({{"type", "express"}, {"when", "now"}})}) {
    res = api().post("/v1/workflows/" + open + "/leads",
                     {{"phone_number", "+14155550109"}, {"consent", bad}});
    expect_error(res, 400);
  }
  expect_error(api().patch("/v1/workflows/" + open, {{"settings", {{"require_consent", "yes"}}}}),
               400);
}

TEST_F(Consent, AFileGivesConsentInItsOwnColumns) {
  auto wf = call_workflow({{"require_consent", "express"}});
  MultipartBody form;
  form.file("file", "leads.csv",
            "phone_number,name,consent_type,consent_source,consent_obtained_at\n"
            "+14155550100,Ana,express,call recording,2026-04-01T00:00:00Z\n"
            "+14155550101,Bo,none,,\n",
            "text/csv");
  auto res = api().request("POST", "/v1/workflows/" + wf + "/leads?skip_invalid=true", form.body(),
                           {{"Content-Type", MultipartBody::content_type()}});
  ASSERT_EQ(res.status, 201) << res.body;
  ASSERT_EQ(res.json()["leads_enrolled"], 1) << res.body;
  EXPECT_EQ(res.json()["skipped"][0]["row"], 3);
  const Json l = lead(wf, res.json()["lead_ids"][0]);
  EXPECT_EQ(l["consent"]["type"], "express");
  EXPECT_EQ(l["consent"]["source"], "call recording");
  EXPECT_EQ(l["dynamic_variables"], Json({{"name", "Ana"}})) << "consent is not a variable";
}

TEST_F(Consent, TheEngineChecksConsentAgainBeforeEachCall) {
  auto wf = call_workflow(Json::object());
  Json one = with_consent("+14155550100", "express");
  one["dynamic_variables"] = {{"sim_outcomes", "COMPLETED"}};
  auto res = enroll_many(wf, Json::array({one}));
  ASSERT_EQ(res.status, 201) << res.body;
  const std::string with = res.json()["lead_ids"][0];
  auto without = enroll(wf, {{"sim_outcomes", "COMPLETED"}}, "+14155550101");
  // The rule arrives after enrolment: the engine still applies it.
  ASSERT_EQ(
      api()
          .patch("/v1/workflows/" + wf,
                 {{"settings", {{"calling_window", nullptr}, {"require_consent", "express"}}}})
          .status,
      200);
  Json e = api().get("/v1/workflows/" + wf + "/leads/" + without + "/eligibility").json();
  ASSERT_EQ(e["blocked_by"].size(), 1u) << e.dump();
  EXPECT_EQ(e["blocked_by"][0]["rule"], "consent");
  EXPECT_EQ(e["next_eligible_at"], nullptr);

  activate(wf);
  settle();
  advance(minutes(1));
  EXPECT_EQ(calls_of(with).size(), 1u);
  EXPECT_EQ(lead(wf, with)["status"], "completed");
  EXPECT_TRUE(calls_of(without).empty());
  EXPECT_EQ(lead(wf, without)["status"], "dropped");
  EXPECT_EQ(lead(wf, without)["drop_reason"], "consent");
  const Json h = history(wf, without);
  ASSERT_FALSE(h.empty());
  EXPECT_EQ(h.back()["node_id"], call_);
  EXPECT_EQ(h.back()["status"], "dropped");
  EXPECT_NE(h.back()["reason"].get<std::string>().find("require_consent"), std::string::npos);
}

}  // namespace
}  // namespace leadline::test
