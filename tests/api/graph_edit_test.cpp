// Node and edge routes (spec §3, §4) over real HTTP against a real SQLite file.
#include "api/api_fixture.h"

namespace leadline::test {
namespace {

using NodesApi = ApiTest;
using EdgesApi = ApiTest;

TEST_F(NodesApi, CreatesEveryNodeTypeWithDefaults) {
  auto wf = create_workflow();
  const std::vector<std::pair<std::string, Json>> good = {
      {"VOICE_CALL", voice_config()},
      {"TIME", {{"delay_days", 2}}},
      {"CONDITIONAL",
       {{"logic", "AND"},
        {"conditions",
         {{{"field", "call_status"}, {"operator", "equals"}, {"value", "COMPLETED"}}}}}},
      {"APPLICATION",
       {{"provider_key", "leadline"},
        {"action_key", "set_variables"},
        {"action_config", {{"variables", {{"stage", "warm"}}}}}}},
      {"WEBHOOK", {{"url", "https://example.com/hook"}}},
      {"SMS", {{"from_phone_number", "+14155550100"}, {"message", "Hi {{name}}"}}},
      {"CONVERTED", Json::object()},
      {"DROPPED", Json::object()},
  };
  for (const auto& [type, config] : good) {
    auto res =
        api().post("/v1/workflows/" + wf + "/nodes", {{"node_type", type}, {"config", config}});
    ASSERT_EQ(res.status, 201) << type << ": " << res.body;
    auto node = res.json();
    EXPECT_EQ(node["node_type"], type);
    EXPECT_FALSE(node["label"].get<std::string>().empty());
    EXPECT_EQ(node["position_x"], 0);
    EXPECT_EQ(node["config"], config);
    EXPECT_TRUE(node["id"].get<std::string>().starts_with("node_"));
  }
  auto list = api().get("/v1/workflows/" + wf + "/nodes").json()["data"];
  ASSERT_EQ(list.size(), good.size());
  for (size_t i = 0; i < good.size(); ++i) EXPECT_EQ(list[i]["node_type"], good[i].first);
  EXPECT_EQ(api().get("/v1/workflows/" + wf).json()["node_count"], 8);
}

TEST_F(NodesApi, KeepsUnknownConfigKeysAndPositions) {
  auto wf = create_workflow();
  auto res = api().post("/v1/workflows/" + wf + "/nodes",
                        {{"node_type", "TIME"},
                         {"label", "Wait"},
                         {"position_x", 10.5},
                         {"position_y", -3},
                         {"config", {{"delay_hours", 1}, {"note", "kept"}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  auto id = res.json()["id"].get<std::string>();
  auto node = api().get("/v1/workflows/" + wf + "/nodes/" + id).json();
  EXPECT_EQ(node["config"]["note"], "kept");
  EXPECT_EQ(node["position_x"], 10.5);
  EXPECT_EQ(node["label"], "Wait");
}

TEST_F(NodesApi, RejectsUnknownTypesAndInvalidConfigPerType) {
  auto wf = create_workflow();
  auto unknown = api().post("/v1/workflows/" + wf + "/nodes", {{"node_type", "TELEPORT"}});
  expect_error(unknown, 400);
  EXPECT_NE(unknown.body.find("VOICE_CALL"), std::string::npos);  // lists the valid ones
  expect_error(api().post("/v1/workflows/" + wf + "/nodes", Json::object()), 400);
  const std::vector<std::pair<std::string, Json>> bad = {
      {"VOICE_CALL", Json::object()},
      {"VOICE_CALL", {{"agent_id", "a"}, {"from_phone_number", "555-0100"}}},
      {"VOICE_CALL",
       {{"agent_id", "a"}, {"from_phone_number", "+14155550100"}, {"max_attempts", 11}}},
      {"TIME", Json::object()},
      {"TIME", {{"delay_minutes", 0}}},
      {"TIME", {{"duration_value", 3}, {"duration_unit", "weeks"}}},
      {"TIME", {{"time_source", "postcall_analysis"}, {"pca_field", "callback_time"}}},
      {"VOICE_CALL",
       {{"agent_id", "a"},
        {"from_phone_number", "+14155550100"},
        {"calling_window", {{"start", "09:00"}, {"end", "09:00"}}}}},
      {"SMS",
       {{"from_phone_number", "+14155550100"},
        {"message", "hi"},
        {"calling_window", {{"days", {"someday"}}}}}},
      {"CONDITIONAL", {{"conditions", Json::array()}}},
      {"CONDITIONAL",
       {{"conditions", {{{"field", "x"}, {"operator", "resembles"}, {"value", 1}}}}}},
      {"APPLICATION", {{"provider_key", "http"}}},
      {"WEBHOOK", {{"url", "ftp://example.com"}}},
      {"SMS", {{"from_phone_number", "+14155550100"}}},
  };
  for (const auto& [type, config] : bad)
    expect_error(
        api().post("/v1/workflows/" + wf + "/nodes", {{"node_type", type}, {"config", config}}),
        400);
  expect_error(
      api().post("/v1/workflows/" + wf + "/nodes", {{"node_type", "TIME"}, {"config", "5m"}}), 400);
  expect_error(api().post("/v1/workflows/" + wf + "/nodes",
                          {{"node_type", "DROPPED"}, {"position_x", "left"}}),
               400);
  EXPECT_TRUE(api().get("/v1/workflows/" + wf + "/nodes").json()["data"].empty());
}

TEST_F(NodesApi, UpdatesLabelConfigAndPositionButNotType) {
  auto wf = create_workflow();
  auto node = create_node(wf, "TIME", {{"delay_minutes", 5}});
  auto path = "/v1/workflows/" + wf + "/nodes/" + node;
  auto res = api().patch(
      path, {{"label", "Wait a day"}, {"config", {{"delay_days", 1}}}, {"position_y", 50}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["label"], "Wait a day");
  EXPECT_EQ(res.json()["config"], Json({{"delay_days", 1}}));
  EXPECT_EQ(api().get(path).json()["position_y"], 50);
  expect_error(api().patch(path, {{"node_type", "SMS"}}), 400);
  expect_error(api().patch(path, {{"config", {{"delay_minutes", -1}}}}), 400);
  expect_error(api().patch(path, Json::object()), 400);
  EXPECT_EQ(api().get(path).json()["config"], Json({{"delay_days", 1}}));
  expect_error(api().patch("/v1/workflows/" + wf + "/nodes/node_missing000000", {{"label", "x"}}),
               404);
}

TEST_F(NodesApi, DeletingANodeRemovesItsEdges) {
  auto wf = create_workflow();
  auto a = create_node(wf, "TIME", {{"delay_minutes", 5}});
  auto b = create_node(wf, "CONVERTED");
  create_edge(wf, a, b);
  auto res = api().del("/v1/workflows/" + wf + "/nodes/" + b);
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.json(), Json({{"message", "Node deleted."}}));
  EXPECT_TRUE(api().get("/v1/workflows/" + wf + "/edges").json()["data"].empty());
  expect_error(api().del("/v1/workflows/" + wf + "/nodes/" + b), 404);
  expect_error(api().get("/v1/workflows/" + wf + "/nodes/" + b), 404);
}

TEST_F(NodesApi, GraphEditsAreRefusedOnceTheWorkflowIsFinal) {
  auto wf = create_valid_workflow();
  auto node =
      api().get("/v1/workflows/" + wf + "/nodes").json()["data"][0]["id"].get<std::string>();
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/activate").status, 200);
  // Active and paused workflows may still be edited.
  EXPECT_EQ(api().patch("/v1/workflows/" + wf + "/nodes/" + node, {{"label", "Live edit"}}).status,
            200);
  ASSERT_EQ(api().post("/v1/workflows/" + wf + "/cancel").status, 200);
  expect_error(api().post("/v1/workflows/" + wf + "/nodes", {{"node_type", "DROPPED"}}), 409);
  expect_error(api().patch("/v1/workflows/" + wf + "/nodes/" + node, {{"label", "x"}}), 409);
  expect_error(api().del("/v1/workflows/" + wf + "/nodes/" + node), 409);
  expect_error(
      api().post("/v1/workflows/" + wf + "/edges", {{"from_node_id", node}, {"to_node_id", node}}),
      409);
}

TEST_F(EdgesApi, CreatesListsAndDeletesEdges) {
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL", voice_config());
  auto done = create_node(wf, "CONVERTED");
  auto res = api().post("/v1/workflows/" + wf + "/edges",
                        {{"from_node_id", call}, {"to_node_id", done}, {"label", "COMPLETED"}});
  ASSERT_EQ(res.status, 201) << res.body;
  auto edge = res.json();
  EXPECT_TRUE(edge["id"].get<std::string>().starts_with("edge_"));
  EXPECT_EQ(edge["label"], "COMPLETED");
  auto unlabelled =
      api().post("/v1/workflows/" + wf + "/edges", {{"from_node_id", call}, {"to_node_id", done}});
  ASSERT_EQ(unlabelled.status, 201);
  EXPECT_TRUE(unlabelled.json()["label"].is_null());
  auto list = api().get("/v1/workflows/" + wf + "/edges").json()["data"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], edge["id"]);
  auto del = api().del("/v1/workflows/" + wf + "/edges/" + edge["id"].get<std::string>());
  EXPECT_EQ(del.json(), Json({{"message", "Edge deleted."}}));
  expect_error(api().del("/v1/workflows/" + wf + "/edges/" + edge["id"].get<std::string>()), 404);
}

TEST_F(EdgesApi, RejectsDuplicatesTerminalsAndUnknownNodes) {
  auto wf = create_workflow();
  auto call = create_node(wf, "VOICE_CALL", voice_config());
  auto done = create_node(wf, "CONVERTED");
  create_edge(wf, call, done, "COMPLETED");
  expect_error(api().post("/v1/workflows/" + wf + "/edges",
                          {{"from_node_id", call}, {"to_node_id", done}, {"label", "COMPLETED"}}),
               409);
  expect_error(
      api().post("/v1/workflows/" + wf + "/edges", {{"from_node_id", done}, {"to_node_id", call}}),
      400);
  expect_error(api().post("/v1/workflows/" + wf + "/edges",
                          {{"from_node_id", call}, {"to_node_id", "node_nope0000000000"}}),
               404);
  // A node of another workflow is not a node of this one.
  auto other = create_workflow("Other");
  auto foreign = create_node(other, "DROPPED");
  expect_error(api().post("/v1/workflows/" + wf + "/edges",
                          {{"from_node_id", call}, {"to_node_id", foreign}}),
               404);
  expect_error(api().post("/v1/workflows/" + wf + "/edges", {{"from_node_id", call}}), 400);
  expect_error(api().post("/v1/workflows/" + wf + "/edges",
                          {{"from_node_id", call}, {"to_node_id", done}, {"label", 7}}),
               400);
  EXPECT_EQ(api().get("/v1/workflows/" + wf + "/edges").json()["data"].size(), 1u);
}

}  // namespace
}  // namespace leadline::test
