// Cross-cutting behaviour: auth, keys, error shape for unknown routes, body limit, health,
// and the OpenAPI document matching the router.
#include <set>

#include "api/api_fixture.h"

namespace leadline::test {
namespace {

using PlatformApi = ApiTest;

TEST_F(PlatformApi, MissingOrWrongKeyIs401WithTheExactBody) {
  const Json expected = {
      {"statusCode", 401}, {"message", "API key is missing or invalid"}, {"error", "Unauthorized"}};
  for (const std::string& bearer :
       std::vector<std::string>{"", "nonsense", "key_abc:def", key_ + "x"}) {
    HttpClient client(port_, bearer);
    auto res = client.get("/v1/workflows");
    EXPECT_EQ(res.status, 401) << bearer;
    EXPECT_EQ(res.json(), expected);
  }
}

TEST_F(PlatformApi, HealthNeedsNoKey) {
  HttpClient anonymous(port_);
  auto res = anonymous.get("/healthz");
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.json()["status"], "ok");
}

TEST_F(PlatformApi, UnknownRouteIs404AndWrongMethodIs405) {
  expect_error(api().get("/v1/nothing-here"), 404);
  expect_error(api().request("PUT", "/v1/workflows"), 405);
  expect_error(api().request("DELETE", "/v1/workflows"), 405);
}

TEST_F(PlatformApi, OversizedBodyIs413) {
  app_.reset();
  client_.reset();
  app::AppOptions o = options();
  o.body_limit = 1024;
  app_ = std::make_unique<app::Application>(o);
  port_ = app_->start();
  HttpClient client(port_, key_);
  auto res =
      client.post("/v1/workflows", {{"title", "x"}, {"description", std::string(4096, 'd')}});
  expect_error(res, 413);
}

TEST_F(PlatformApi, ApiKeysCanBeCreatedListedAndRevoked) {
  auto res = api().post("/v1/api-keys", {{"name", "ci"}});
  ASSERT_EQ(res.status, 201) << res.body;
  auto created = res.json();
  EXPECT_TRUE(created["id"].get<std::string>().starts_with("key_"));
  EXPECT_FALSE(created["secret"].get<std::string>().empty());
  HttpClient with_new_key(
      port_, created["id"].get<std::string>() + ":" + created["secret"].get<std::string>());
  EXPECT_EQ(with_new_key.get("/v1/workflows").status, 200);

  auto list = api().get("/v1/api-keys");
  EXPECT_EQ(list.body.find(created["secret"].get<std::string>()), std::string::npos);
  EXPECT_EQ(list.json()["data"].size(), 2u);

  auto revoked = api().del("/v1/api-keys/" + created["id"].get<std::string>());
  EXPECT_EQ(revoked.status, 200);
  EXPECT_EQ(with_new_key.get("/v1/workflows").status, 401);
  expect_error(api().del("/v1/api-keys/" + created["id"].get<std::string>()), 404);
  expect_error(api().post("/v1/api-keys", Json::object()), 400);
}

TEST_F(PlatformApi, OpenApiDocumentListsExactlyTheRouterRoutes) {
  auto doc = api().get("/v1/openapi.json").json();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::string> documented, served;
  for (auto& [path, ops] : doc["paths"].items())
    for (auto& [method, op] : ops.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      documented.insert(upper + " " + path);
    }
  for (const auto& route : app_->router().routes())
    served.insert(route.method + " " + route.pattern);
  EXPECT_EQ(documented, served);
}

TEST_F(PlatformApi, RateLimitHeadersAnd429) {
  app_.reset();
  client_.reset();
  app::AppOptions o = options();
  o.rate_limit = 2;  // burst of 4
  app_ = std::make_unique<app::Application>(o);
  port_ = app_->start();
  HttpClient client(port_, key_);
  auto first = client.get("/v1/workflows");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.header("x-ratelimit-limit"), "2");
  EXPECT_FALSE(first.header("x-ratelimit-remaining").empty());
  EXPECT_FALSE(first.header("x-ratelimit-reset").empty());
  HttpResult last;
  for (int i = 0; i < 10; ++i) last = client.get("/v1/workflows");
  expect_error(last, 429);
  EXPECT_FALSE(last.header("retry-after").empty());
}

}  // namespace
}  // namespace leadline::test
