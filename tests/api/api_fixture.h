#pragma once
// Base fixture for API tests: a real Leadline server on a loopback port over a real database
// (a SQLite file in a fresh temp directory, or a fresh PostgreSQL schema when
// LEADLINE_TEST_DATABASE_URL is set), an organization with a key, and a client that uses it.
#include <gtest/gtest.h>

#include <memory>

#include "api/api_keys.h"
#include "app/application.h"
#include "support/http_client.h"
#include "support/temp_dir.h"
#include "support/test_database.h"

namespace leadline::test {

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }
  void TearDown() override { app_.reset(); }

  virtual app::AppOptions options() {
    app::AppOptions o;
    o.listen = "127.0.0.1:0";
    o.database = db_.url();
    o.rate_limit = 0;
    return o;
  }

  void start() {
    app_ = std::make_unique<app::Application>(options());
    port_ = app_->start();
    if (key_.empty()) key_ = new_org_key("Acme");
    client_ = std::make_unique<HttpClient>(port_, key_);
  }
  // Stops the server and starts a new one on the same database.
  void restart() {
    client_.reset();
    app_.reset();
    start();
  }
  // A key of a (new or existing) organization with that name.
  std::string new_org_key(const std::string& org_name) {
    auto now = app_->clock().now();
    auto org = app_->store().ensure_organization(org_name, now);
    return api::issue_api_key(app_->store(), org.id, "test", now).credential();
  }

  HttpClient& api() { return *client_; }

  std::string create_workflow(const std::string& title = "Flow") {
    auto res = api().post("/v1/workflows", {{"title", title}});
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json().value("id", "");
  }
  std::string create_node(const std::string& wf, const std::string& type,
                          const Json& config = Json::object(), const std::string& label = "") {
    Json body = {{"node_type", type}, {"config", config}};
    if (!label.empty()) body["label"] = label;
    auto res = api().post("/v1/workflows/" + wf + "/nodes", body);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json().value("id", "");
  }
  std::string create_edge(const std::string& wf, const std::string& from, const std::string& to,
                          const Json& label = nullptr) {
    auto res = api().post("/v1/workflows/" + wf + "/edges",
                          {{"from_node_id", from}, {"to_node_id", to}, {"label", label}});
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json().value("id", "");
  }
  static Json voice_config() {
    return {{"agent_id", "agt_1"}, {"from_phone_number", "+14155550100"}};
  }
  // call -> (COMPLETED) converted, (unlabelled) dropped: a graph that validates.
  std::string create_valid_workflow() {
    auto wf = create_workflow("Valid");
    auto call = create_node(wf, "VOICE_CALL", voice_config());
    auto won = create_node(wf, "CONVERTED");
    auto lost = create_node(wf, "DROPPED");
    create_edge(wf, call, won, "COMPLETED");
    create_edge(wf, call, lost);
    return wf;
  }

  TempDir dir_;
  TestDatabase db_{dir_.path()};
  std::unique_ptr<app::Application> app_;
  std::uint16_t port_ = 0;
  std::string key_;
  std::unique_ptr<HttpClient> client_;
};

// Asserts the spec's error shape and status.
inline void expect_error(const HttpResult& res, int status) {
  EXPECT_EQ(res.status, status) << res.body;
  auto body = res.json();
  ASSERT_TRUE(body.is_object()) << res.body;
  EXPECT_EQ(body.value("statusCode", 0), status) << res.body;
  EXPECT_TRUE(body.contains("message") &&
              (body["message"].is_string() || body["message"].is_array()))
      << res.body;
  EXPECT_TRUE(body.contains("error") && body["error"].is_string()) << res.body;
}

}  // namespace leadline::test
