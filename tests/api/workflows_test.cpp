// Workflow routes (spec §2) over real HTTP against a real SQLite file.
#include <thread>

#include "api/api_fixture.h"

namespace leadline::test {
namespace {

using WorkflowsApi = ApiTest;

TEST_F(WorkflowsApi, CreatesWorkflowExactlyAsTheOriginalDocumentationShows) {
  auto res = api().post(
      "/v1/workflows",
      {{"title", "Lead Nurture Sequence"},
       {"description", "Contacts cold leads three times before marking as unresponsive."},
       {"status", "draft"}});
  ASSERT_EQ(res.status, 201) << res.body;
  auto wf = res.json();
  EXPECT_EQ(wf["status"], "draft");
  EXPECT_EQ(wf["title"], "Lead Nurture Sequence");
  EXPECT_EQ(wf["name"], "Lead Nurture Sequence");
  EXPECT_EQ(wf["description"], "Contacts cold leads three times before marking as unresponsive.");
  EXPECT_TRUE(wf["id"].get<std::string>().starts_with("wf_"));
  EXPECT_EQ(wf["id"].get<std::string>().size(), 3u + 14u);
  EXPECT_TRUE(wf["organization_id"].get<std::string>().starts_with("org_"));
  EXPECT_EQ(wf["node_count"], 0);
  EXPECT_EQ(wf["edge_count"], 0);
  EXPECT_EQ(wf["enrolled_leads"], 0);
  EXPECT_EQ(wf["created_at"].get<std::string>().size(), 24u);  // 2024-03-01T09:00:00.000Z
  EXPECT_EQ(wf["created_at"].get<std::string>().back(), 'Z');
}

TEST_F(WorkflowsApi, AcceptsNameAsTitleAndTitleWins) {
  auto by_name = api().post("/v1/workflows", {{"name", "By name"}});
  ASSERT_EQ(by_name.status, 201) << by_name.body;
  EXPECT_EQ(by_name.json()["title"], "By name");
  auto both = api().post("/v1/workflows", {{"name", "N"}, {"title", "T"}});
  EXPECT_EQ(both.json()["title"], "T");
}

TEST_F(WorkflowsApi, RejectsInvalidCreateBodiesWithEveryProblemListed) {
  expect_error(api().post("/v1/workflows", Json::object()), 400);
  expect_error(api().post("/v1/workflows", {{"title", "   "}}), 400);
  expect_error(api().post("/v1/workflows", {{"title", std::string(101, 'x')}}), 400);
  expect_error(api().post("/v1/workflows", {{"title", 42}}), 400);
  expect_error(
      api().post("/v1/workflows", {{"title", "x"}, {"description", std::string(2001, 'd')}}), 400);
  expect_error(api().post("/v1/workflows", {{"title", "x"}, {"status", "bogus"}}), 400);
  auto active = api().post("/v1/workflows", {{"title", "x"}, {"status", "active"}});
  expect_error(active, 400);
  EXPECT_NE(active.json()["message"].get<std::string>().find("activate"), std::string::npos);
  auto many = api().post("/v1/workflows", {{"title", ""}, {"description", 5}});
  expect_error(many, 400);
  EXPECT_TRUE(many.json()["message"].is_array());
  EXPECT_EQ(many.json()["message"].size(), 2u);
  expect_error(
      api().post("/v1/workflows", {{"title", "x"}, {"settings", {{"timezone", "Mars/Base"}}}}),
      400);
  // Nothing was created by any of them.
  EXPECT_EQ(api().get("/v1/workflows").json()["meta"]["total"], 0);
}

TEST_F(WorkflowsApi, TitleOfExactly100CharactersIsAccepted) {
  EXPECT_EQ(api().post("/v1/workflows", {{"title", std::string(100, 'x')}}).status, 201);
  // 100 multi-byte characters count as 100, not as their byte length.
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "é";
  EXPECT_EQ(api().post("/v1/workflows", {{"title", accents}}).status, 201);
}

TEST_F(WorkflowsApi, MalformedJsonIs400) {
  expect_error(api().request("POST", "/v1/workflows", std::string("{\"title\": ")), 400);
  expect_error(api().request("POST", "/v1/workflows", std::string("[1,2]")), 400);
  expect_error(api().request("POST", "/v1/workflows", std::string("")), 400);
}

TEST_F(WorkflowsApi, ListsWithPaginationFiltersAndSorting) {
  for (auto title : {"Alpha", "beta", "Gamma", "Alphabet"}) {
    create_workflow(title);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // distinct created_at
  }
  auto all = api().get("/v1/workflows?limit=3").json();
  EXPECT_EQ(all["meta"], Json({{"page", 1}, {"limit", 3}, {"total", 4}, {"totalPages", 2}}));
  ASSERT_EQ(all["data"].size(), 3u);
  EXPECT_EQ(all["data"][0]["title"], "Alphabet");  // newest first
  auto page2 = api().get("/v1/workflows?limit=3&page=2").json();
  ASSERT_EQ(page2["data"].size(), 1u);
  EXPECT_EQ(page2["data"][0]["title"], "Alpha");

  auto q = api().get("/v1/workflows?q=ALPHA").json();
  EXPECT_EQ(q["meta"]["total"], 2);
  auto by_title = api().get("/v1/workflows?sortBy=title&sortOrder=ASC").json();
  std::vector<std::string> titles;
  for (auto& w : by_title["data"]) titles.push_back(w["title"]);
  EXPECT_EQ(titles, (std::vector<std::string>{"Alpha", "Alphabet", "beta", "Gamma"}));
  EXPECT_EQ(api().get("/v1/workflows?status=active").json()["meta"]["total"], 0);
  EXPECT_EQ(api().get("/v1/workflows?status=draft").json()["meta"]["total"], 4);
  auto empty = api().get("/v1/workflows?q=zzz").json();
  EXPECT_EQ(empty["meta"]["totalPages"], 0);
}

TEST_F(WorkflowsApi, RejectsOutOfRangePaginationAndUnknownFilters) {
  for (auto query :
       {"page=0", "limit=0", "limit=101", "page=abc", "status=nope", "sortBy=id", "sortOrder=UP"})
    expect_error(api().get(std::string("/v1/workflows?") + query), 400);
}

TEST_F(WorkflowsApi, GetsOneAndAnswers404ForUnknownOrOtherOrganizations) {
  auto id = create_workflow("Mine");
  EXPECT_EQ(api().get("/v1/workflows/" + id).json()["title"], "Mine");
  expect_error(api().get("/v1/workflows/wf_doesnotexist00"), 404);

  HttpClient other(port_, new_org_key("Other Co"));
  auto theirs = other.get("/v1/workflows/" + id);
  auto missing = other.get("/v1/workflows/wf_doesnotexist00");
  expect_error(theirs, 404);
  EXPECT_EQ(theirs.body, missing.body);  // nothing leaks across organizations
  expect_error(other.patch("/v1/workflows/" + id, {{"title", "x"}}), 404);
  expect_error(other.del("/v1/workflows/" + id), 404);
  expect_error(other.post("/v1/workflows/" + id + "/activate"), 404);
  expect_error(other.get("/v1/workflows/" + id + "/nodes"), 404);
  EXPECT_EQ(other.get("/v1/workflows").json()["meta"]["total"], 0);
}

TEST_F(WorkflowsApi, UpdatesTitleDescriptionAndSettings) {
  auto id = create_workflow("Before");
  auto res =
      api().patch("/v1/workflows/" + id,
                  {{"name", "After"},
                   {"description", nullptr},
                   {"settings", {{"timezone", "Europe/Berlin"}, {"default_country", "DE"}}}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["title"], "After");
  EXPECT_TRUE(res.json()["description"].is_null());
  EXPECT_EQ(res.json()["settings"]["timezone"], "Europe/Berlin");
  // Settings merge: a second patch keeps the first one's keys.
  auto merged =
      api().patch("/v1/workflows/" + id, {{"settings", {{"allow_reenrollment", true}}}}).json();
  EXPECT_EQ(merged["settings"]["timezone"], "Europe/Berlin");
  EXPECT_EQ(merged["settings"]["allow_reenrollment"], true);
}

TEST_F(WorkflowsApi, RejectsBadUpdates) {
  auto id = create_workflow("Stay");
  expect_error(api().patch("/v1/workflows/" + id, {{"foo", 1}}), 400);
  expect_error(api().patch("/v1/workflows/" + id, {{"status", "active"}}), 409);
  expect_error(api().patch("/v1/workflows/" + id, {{"title", ""}}), 400);
  expect_error(api().patch("/v1/workflows/" + id, {{"settings", {{"max_concurrent_calls", 0}}}}),
               400);
  expect_error(api().patch("/v1/workflows/" + id, {{"settings", {{"default_country", "usa"}}}}),
               400);
  expect_error(api().patch("/v1/workflows/" + id, {{"title", "ok"}, {"settings", 3}}), 400);
  auto bad_window =
      api().patch("/v1/workflows/" + id,
                  {{"settings", {{"calling_window", {{"days", {"mon", "xyz"}}, {"start", "9"}}}}}});
  expect_error(bad_window, 400);
  EXPECT_EQ(
      bad_window.json()["message"],
      (Json{"settings.calling_window.days[1] must be one of mon, tue, wed, thu, fri, sat, sun",
            "settings.calling_window.start must be a time like 09:00 (HH:MM)"}));
  EXPECT_EQ(api().get("/v1/workflows/" + id).json()["title"], "Stay");  // nothing changed
  ASSERT_EQ(api().post("/v1/workflows/" + id + "/cancel").status, 200);
  expect_error(api().patch("/v1/workflows/" + id, {{"title", "late"}}), 409);
}

TEST_F(WorkflowsApi, DeletesUnlessActive) {
  auto id = create_valid_workflow();
  ASSERT_EQ(api().post("/v1/workflows/" + id + "/activate").status, 200);
  expect_error(api().del("/v1/workflows/" + id), 409);
  ASSERT_EQ(api().post("/v1/workflows/" + id + "/cancel").status, 200);
  auto res = api().del("/v1/workflows/" + id);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json(), Json({{"message", "Workflow deleted."}}));
  expect_error(api().get("/v1/workflows/" + id), 404);
  expect_error(api().get("/v1/workflows/" + id + "/nodes"), 404);
  expect_error(api().del("/v1/workflows/" + id), 404);
}

TEST_F(WorkflowsApi, DuplicatesGraphWithNewIdsAndRepointedEdges) {
  auto id = create_workflow("Original");
  api().patch("/v1/workflows/" + id, {{"settings", {{"timezone", "Asia/Kolkata"}}}});
  auto call = create_node(id, "VOICE_CALL", voice_config(), "First call");
  auto done = create_node(id, "CONVERTED");
  create_edge(id, call, done, "COMPLETED");
  auto res = api().post("/v1/workflows/" + id + "/duplicate");
  ASSERT_EQ(res.status, 201) << res.body;
  auto copy = res.json();
  EXPECT_EQ(copy["title"], "Original (Copy)");
  EXPECT_EQ(copy["status"], "draft");
  EXPECT_EQ(copy["settings"]["timezone"], "Asia/Kolkata");
  EXPECT_EQ(copy["node_count"], 2);
  EXPECT_EQ(copy["edge_count"], 1);
  auto nodes =
      api().get("/v1/workflows/" + copy["id"].get<std::string>() + "/nodes").json()["data"];
  auto edges =
      api().get("/v1/workflows/" + copy["id"].get<std::string>() + "/edges").json()["data"];
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0]["label"], "First call");
  EXPECT_NE(nodes[0]["id"], call);
  EXPECT_EQ(edges[0]["from_node_id"], nodes[0]["id"]);
  EXPECT_EQ(edges[0]["to_node_id"], nodes[1]["id"]);
  EXPECT_EQ(edges[0]["label"], "COMPLETED");

  auto long_id = create_workflow(std::string(100, 'L'));
  auto long_copy = api().post("/v1/workflows/" + long_id + "/duplicate").json();
  EXPECT_EQ(long_copy["title"].get<std::string>().size(), 100u);
}

TEST_F(WorkflowsApi, LifecycleFollowsTheTransitionTable) {
  auto id = create_valid_workflow();
  auto path = "/v1/workflows/" + id;
  expect_error(api().post(path + "/pause"), 409);
  expect_error(api().post(path + "/resume"), 409);
  expect_error(api().post(path + "/complete"), 409);
  EXPECT_EQ(api().post(path + "/activate").json()["status"], "active");
  expect_error(api().post(path + "/activate"), 409);
  EXPECT_EQ(api().post(path + "/pause").json()["status"], "paused");
  EXPECT_EQ(api().post(path + "/resume").json()["status"], "active");
  EXPECT_EQ(api().patch(path + "/status", {{"action", "pause"}}).json()["status"], "paused");
  EXPECT_EQ(api().patch(path + "/status", {{"action", "deactivate"}}).json()["status"], "draft");
  EXPECT_EQ(api().patch(path + "/status", {{"action", "activate"}}).json()["status"], "active");
  EXPECT_EQ(api().post(path + "/complete").json()["status"], "completed");
  for (auto action : {"activate", "pause", "resume", "cancel", "complete"})
    expect_error(api().post(path + "/" + action), 409);
  expect_error(api().patch(path + "/status", {{"action", "resume"}}), 409);
  expect_error(api().patch(path + "/status", {{"action", "explode"}}), 400);
  expect_error(api().patch(path + "/status", Json::object()), 400);

  auto other = create_workflow("Cancel me");
  EXPECT_EQ(api().post("/v1/workflows/" + other + "/cancel").json()["status"], "cancelled");
  expect_error(api().post("/v1/workflows/" + other + "/cancel"), 409);
}

TEST_F(WorkflowsApi, ActivationRefusesAnInvalidGraphListingEveryErrorAndChangesNothing) {
  auto empty = create_workflow("Empty");
  auto res = api().post("/v1/workflows/" + empty + "/activate");
  expect_error(res, 400);
  EXPECT_EQ(api().get("/v1/workflows/" + empty).json()["status"], "draft");

  auto wf = create_workflow("Broken");
  auto call = create_node(wf, "VOICE_CALL", voice_config());
  create_node(wf, "TIME", {{"delay_minutes", 5}});  // second entry, no outgoing edge
  auto bad = api().post("/v1/workflows/" + wf + "/activate");
  expect_error(bad, 400);
  EXPECT_TRUE(bad.json()["message"].is_array()) << bad.body;
  EXPECT_GE(bad.json()["message"].size(), 2u);
  EXPECT_EQ(api().get("/v1/workflows/" + wf).json()["status"], "draft");
  (void)call;
}

TEST_F(WorkflowsApi, ValidationReportsErrorsAndWarnings) {
  auto wf = create_workflow("Check");
  auto v0 = api().get("/v1/workflows/" + wf + "/validation").json();
  EXPECT_EQ(v0["valid"], false);
  EXPECT_EQ(v0["errors"][0]["code"], "no_nodes");
  auto valid = create_valid_workflow();
  auto v1 = api().get("/v1/workflows/" + valid + "/validation").json();
  EXPECT_EQ(v1["valid"], true) << v1.dump();
  EXPECT_TRUE(v1["errors"].empty());
}

TEST_F(WorkflowsApi, GraphRouteReturnsEverythingForTheDashboard) {
  auto wf = create_valid_workflow();
  auto graph = api().get("/v1/workflows/" + wf + "/graph").json();
  EXPECT_EQ(graph["workflow"]["id"], wf);
  EXPECT_EQ(graph["nodes"].size(), 3u);
  EXPECT_EQ(graph["edges"].size(), 2u);
  EXPECT_TRUE(graph["lead_counts"].is_object());
  EXPECT_EQ(graph["status_counts"]["pending"], 0);
}

TEST_F(WorkflowsApi, RestartKeepsWorkflowsNodesAndEdges) {
  auto wf = create_valid_workflow();
  auto before = api().get("/v1/workflows/" + wf + "/graph").json();
  restart();
  auto after = api().get("/v1/workflows/" + wf + "/graph").json();
  EXPECT_EQ(before, after);
}

}  // namespace
}  // namespace leadline::test
