// Call routes (spec §6) over real HTTP: paging, filter validation and not-found answers,
// then call rows the engine (stepped by hand on a manual clock) wrote.
#include "api/api_fixture.h"
#include "engine/engine_fixture.h"

namespace leadline::test {
namespace {

using CallsApi = ApiTest;

TEST_F(CallsApi, ListIsEmptyAndPaginatedBeforeAnyCall) {
  auto res = api().get("/v1/calls");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json(), Json::parse(R"({"data": [], "meta": {"page": 1, "limit": 20,
                                        "total": 0, "totalPages": 0}})"));
  res = api().get("/v1/calls?workflow_id=wf_x&lead_id=wlead_y&status=no_answer&page=3&limit=5");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["meta"]["page"], 3);
}

TEST_F(CallsApi, RejectsUnknownStatusAndBadPaging) {
  auto res = api().get("/v1/calls?status=ringing");
  expect_error(res, 400);
  EXPECT_NE(res.json()["message"].get<std::string>().find("no_answer"), std::string::npos);
  expect_error(api().get("/v1/calls?status=COMPLETED"), 400);
  expect_error(api().get("/v1/calls?limit=0"), 400);
  expect_error(api().get("/v1/calls?page=x"), 400);
}

TEST_F(CallsApi, UnknownCallIsNotFound) {
  expect_error(api().get("/v1/calls/call_doesnotexist00"), 404);
  HttpClient anonymous(port_);
  expect_error(anonymous.get("/v1/calls"), 401);
}

using CallsFromEngine = EngineTest;

TEST_F(CallsFromEngine, ListsFiltersAndGetsCallsOfTheOrganization) {
  auto wf = create_valid_workflow();
  activate(wf);
  const std::string lead = enroll(wf, {{"sim_outcomes", "COMPLETED"}});
  settle();
  auto calls = calls_of(lead);
  ASSERT_EQ(calls.size(), 1u) << calls;
  const Json call = calls[0];
  EXPECT_TRUE(call["id"].get<std::string>().starts_with("call_"));
  EXPECT_EQ(call["workflow_id"], wf);
  EXPECT_EQ(call["lead_id"], lead);
  EXPECT_EQ(call["attempt"], 1);
  EXPECT_EQ(call["to_phone_number"], "+14155550123");
  EXPECT_EQ(call["from_phone_number"], "+14155550100");
  EXPECT_EQ(call["agent_id"], "agt_1");
  for (const char* field : {"node_id", "status", "outcome", "end_reason", "duration_seconds",
                            "postcall_analysis", "transcript", "created_at", "ended_at"})
    EXPECT_TRUE(call.contains(field)) << field;

  auto res = api().get("/v1/calls/" + call["id"].get<std::string>());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json(), call);
  EXPECT_EQ(api().get("/v1/calls?workflow_id=" + wf).json()["meta"]["total"], 1);
  EXPECT_EQ(api().get("/v1/calls?workflow_id=wf_other").json()["meta"]["total"], 0);
  const std::string status = call["status"];
  EXPECT_EQ(api().get("/v1/calls?status=" + status).json()["meta"]["total"], 1);
  EXPECT_EQ(api().get("/v1/calls?status=busy").json()["meta"]["total"], 0);

  // Finished: the simulated call ends after 30 clock seconds.
  advance(std::chrono::seconds(31));
  auto ended = api().get("/v1/calls/" + call["id"].get<std::string>()).json();
  EXPECT_EQ(ended["status"], "completed") << ended;
  EXPECT_EQ(ended["outcome"], "COMPLETED");
  EXPECT_NE(ended["ended_at"], nullptr);

  HttpClient other(port_, new_org_key("Other"));
  expect_error(other.get("/v1/calls/" + call["id"].get<std::string>()), 404);
  EXPECT_EQ(other.get("/v1/calls").json()["meta"]["total"], 0);
}

}  // namespace
}  // namespace leadline::test
