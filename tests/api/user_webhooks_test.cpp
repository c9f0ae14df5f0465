// /v1/user-webhooks (spec §7): CRUD, validation, write-only secrets, organization scoping and
// the private-target rule (this server runs without --allow-private-targets).
#include <set>

#include "api/api_fixture.h"

namespace leadline::test {
namespace {

// A name, not an address: names are checked when sent (203.0.113.0/24 and the other
// documentation ranges are refused now).
constexpr const char* kPublicUrl = "https://hooks.example.com/leadline";

class UserWebhooksTest : public ApiTest {
 protected:
  HttpResult create(const Json& body) { return api().post("/v1/user-webhooks", body); }
  std::string create_ok(Json extra = Json::object()) {
    Json body = {{"url", kPublicUrl}, {"events", {"workflow.lead.completed"}}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto res = create(body);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json().value("id", "");
  }
};

TEST_F(UserWebhooksTest, CreateShowsTheSecretOnceAndNeverAgain) {
  auto res = create({{"url", kPublicUrl},
                     {"events", {"workflow.lead.completed", "call.failed"}},
                     {"secret", "a-long-enough-secret-1234"}});
  ASSERT_EQ(res.status, 201) << res.body;
  Json created = res.json();
  const std::string id = created["id"];
  EXPECT_TRUE(id.starts_with("wh_")) << id;
  EXPECT_EQ(id.size(), 17u);
  EXPECT_EQ(created["secret"], "a-long-enough-secret-1234");
  EXPECT_EQ(created["url"], kPublicUrl);
  EXPECT_EQ(created["events"], Json({"workflow.lead.completed", "call.failed"}));
  EXPECT_EQ(created["is_active"], true);

  auto one = api().get("/v1/user-webhooks/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_FALSE(one.json().contains("secret")) << one.body;
  EXPECT_EQ(one.json()["secret_last4"], "1234");
  EXPECT_EQ(one.json()["has_secret"], true);
  EXPECT_EQ(one.body.find("a-long-enough-secret"), std::string::npos);

  auto list = api().get("/v1/user-webhooks");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("a-long-enough-secret"), std::string::npos) << list.body;

  auto patched = api().patch("/v1/user-webhooks/" + id, {{"secret", "another-secret-value-5678"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_FALSE(patched.json().contains("secret"));
  EXPECT_EQ(patched.json()["secret_last4"], "5678");
}

TEST_F(UserWebhooksTest, GeneratesAStrongSecretWhenNoneIsGiven) {
  auto a = create({{"url", kPublicUrl}, {"events", {"call.completed"}}});
  auto b = create({{"url", kPublicUrl}, {"events", {"call.completed"}}});
  ASSERT_EQ(a.status, 201) << a.body;
  const std::string secret = a.json()["secret"];
  EXPECT_GE(secret.size(), 32u);
  EXPECT_NE(secret, b.json()["secret"].get<std::string>());
}

TEST_F(UserWebhooksTest, RejectsBadInputListingEveryProblem) {
  for (const Json& body :
       {Json::object(), Json{{"url", "ftp://example.com/x"}, {"events", {"call.failed"}}},
        Json{{"url", "not a url"}, {"events", {"call.failed"}}},
        Json{{"url", 42}, {"events", {"call.failed"}}}, Json{{"url", kPublicUrl}},
        Json{{"url", kPublicUrl}, {"events", Json::array()}},
        Json{{"url", kPublicUrl}, {"events", "call.failed"}},
        Json{{"url", kPublicUrl}, {"events", {"lead.exploded"}}},
        Json{{"url", kPublicUrl}, {"events", {1}}},
        Json{{"url", kPublicUrl}, {"events", {"call.failed"}}, {"secret", "x"}},
        Json{{"url", kPublicUrl}, {"events", {"call.failed"}}, {"is_active", "yes"}},
        Json::array()}) {
    auto res = create(body);
    expect_error(res, 400);
  }
  auto both = create({{"url", "ftp://x"}, {"events", {"nope"}}});
  ASSERT_EQ(both.status, 400);
  EXPECT_TRUE(both.json()["message"].is_array()) << both.body;
  EXPECT_EQ(both.json()["message"].size(), 2u) << both.body;
  auto malformed = api().request("POST", "/v1/user-webhooks", std::string("{\"url\":"));
  expect_error(malformed, 400);
  EXPECT_EQ(api().get("/v1/user-webhooks").json()["meta"]["total"], 0);
}

TEST_F(UserWebhooksTest, RefusesPrivateTargetsAtCreateAndUpdate) {
  for (const char* url : {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/",
                          "http://192.168.1.20/x", "http://172.16.0.1/x", "http://[::1]:9000/x",
                          "http://169.254.169.254/latest/meta-data", "http://0.0.0.0/"}) {
    auto res = create({{"url", url}, {"events", {"call.failed"}}});
    expect_error(res, 400);
    EXPECT_NE(res.body.find("private"), std::string::npos) << url << " " << res.body;
  }
  const std::string id = create_ok();
  auto res = api().patch("/v1/user-webhooks/" + id, {{"url", "http://127.0.0.1/x"}});
  expect_error(res, 400);
  EXPECT_EQ(api().get("/v1/user-webhooks/" + id).json()["url"], kPublicUrl);
}

TEST_F(UserWebhooksTest, AnotherOrganizationsWebhookIsNotFound) {
  const std::string id = create_ok();
  client_->set_bearer(new_org_key("Other"));
  expect_error(api().get("/v1/user-webhooks/" + id), 404);
  expect_error(api().patch("/v1/user-webhooks/" + id, {{"is_active", false}}), 404);
  expect_error(api().get("/v1/user-webhooks/" + id + "/deliveries"), 404);
  expect_error(api().del("/v1/user-webhooks/" + id), 404);
  EXPECT_EQ(api().get("/v1/user-webhooks").json()["meta"]["total"], 0);
  client_->set_bearer(key_);
  EXPECT_EQ(api().get("/v1/user-webhooks/" + id).status, 200);
}

TEST_F(UserWebhooksTest, ListsNewestFirstInPages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(create_ok());
  auto first = api().get("/v1/user-webhooks?limit=2");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json()["meta"],
            Json({{"page", 1}, {"limit", 2}, {"total", 3}, {"totalPages", 2}}));
  ASSERT_EQ(first.json()["data"].size(), 2u);
  auto second = api().get("/v1/user-webhooks?limit=2&page=2");
  ASSERT_EQ(second.json()["data"].size(), 1u);
  std::set<std::string> seen;
  for (const auto& page : {first.json()["data"], second.json()["data"]})
    for (const auto& w : page) seen.insert(w["id"].get<std::string>());
  EXPECT_EQ(seen, std::set<std::string>(ids.begin(), ids.end()));
  expect_error(api().get("/v1/user-webhooks?limit=0"), 400);
  expect_error(api().get("/v1/user-webhooks?page=0"), 400);
}

TEST_F(UserWebhooksTest, UpdatesAndDeletes) {
  const std::string id = create_ok();
  auto res = api().patch("/v1/user-webhooks/" + id,
                         {{"is_active", false}, {"events", {"call.completed", "call.no_answer"}}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["is_active"], false);
  EXPECT_EQ(res.json()["events"], Json({"call.completed", "call.no_answer"}));
  EXPECT_EQ(api().get("/v1/user-webhooks/" + id).json()["is_active"], false);
  expect_error(api().patch("/v1/user-webhooks/" + id, Json::object()), 400);
  expect_error(api().patch("/v1/user-webhooks/" + id, {{"events", {"bogus"}}}), 400);
  auto deleted = api().del("/v1/user-webhooks/" + id);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.json(), Json({{"message", "Webhook deleted."}}));
  expect_error(api().get("/v1/user-webhooks/" + id), 404);
  expect_error(api().del("/v1/user-webhooks/" + id), 404);
  expect_error(api().get("/v1/user-webhooks/wh_doesnotexist00"), 404);
}

TEST_F(UserWebhooksTest, DeliveriesListValidatesItsFilter) {
  const std::string id = create_ok();
  auto res = api().get("/v1/user-webhooks/" + id + "/deliveries?status=delivered");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.json()["meta"]["total"], 0);
  expect_error(api().get("/v1/user-webhooks/" + id + "/deliveries?status=lost"), 400);
}

TEST_F(UserWebhooksTest, WebhookNodesAndHttpActionsObeyThePrivateTargetRule) {
  auto wf = create_workflow();
  auto res = api().post("/v1/workflows/" + wf + "/nodes",
                        {{"node_type", "WEBHOOK"}, {"config", {{"url", "http://127.0.0.1:9/x"}}}});
  expect_error(res, 400);
  res = api().post("/v1/workflows/" + wf + "/nodes",
                   {{"node_type", "APPLICATION"},
                    {"config",
                     {{"provider_key", "http"},
                      {"action_key", "request"},
                      {"action_config", {{"url", "http://10.0.0.5/crm"}}}}}});
  expect_error(res, 400);
  // A URL whose host lead variables fill in (allowed explicitly) is checked when it is sent.
  auto templated =
      create_node(wf, "WEBHOOK", {{"url", "http://{{crm_host}}/x"}, {"allow_variable_host", true}});
  EXPECT_FALSE(templated.empty());
  auto node = create_node(wf, "WEBHOOK", {{"url", kPublicUrl}});
  res = api().patch("/v1/workflows/" + wf + "/nodes/" + node,
                    {{"config", {{"url", "http://localhost/x"}}}});
  expect_error(res, 400);
}

class UserWebhooksPrivateAllowedTest : public UserWebhooksTest {
 protected:
  app::AppOptions options() override {
    auto o = UserWebhooksTest::options();
    o.allow_private_targets = true;
    return o;
  }
};

TEST_F(UserWebhooksPrivateAllowedTest, AcceptsLoopbackWithTheFlag) {
  auto res = create({{"url", "http://127.0.0.1:9/hook"}, {"events", {"call.failed"}}});
  EXPECT_EQ(res.status, 201) << res.body;
}

}  // namespace
}  // namespace leadline::test
