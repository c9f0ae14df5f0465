#pragma once
// Engine tests: a real server and database (SQLite or PostgreSQL, see api_fixture.h), a
// ManualClock that the test advances, and the engine stepped by hand (drain) so every
// assertion sees a settled state.
#include <chrono>
#include <cstdio>

#include "api/api_fixture.h"

namespace leadline::test {

inline constexpr util::Millis kStart = 1'780'000'000'000;  // 2026-05-28T20:26:40Z

class EngineTest : public ApiTest {
 protected:
  app::AppOptions options() override {
    auto o = ApiTest::options();
    o.clock = clock_;
    o.run_engine = false;
    o.sim_call_seconds = 30;
    o.allow_private_targets = true;
    return o;
  }

  // Advances the clock and runs every step that became due.
  void advance(std::chrono::milliseconds by) {
    clock_->advance(by);
    app_->engine().drain();
  }
  void settle() { app_->engine().drain(); }

  // Enrolls one lead with the given variables; answers its id.
  std::string enroll(const std::string& wf, const Json& variables,
                     const std::string& phone = "+14155550123") {
    auto res = api().post("/v1/workflows/" + wf + "/leads",
                          {{"phone_number", phone}, {"dynamic_variables", variables}});
    EXPECT_EQ(res.status, 201) << res.body;
    auto ids = res.json()["lead_ids"];
    return ids.empty() ? "" : ids[0].get<std::string>();
  }
  // Enrolls `count` (at most 10,000) leads numbered `prefix` + 0000, 0001, ... in one request;
  // answers their ids.
  Json enroll_numbered(const std::string& wf, int count, const std::string& prefix) {
    Json leads = Json::array();
    for (int i = 0; i < count; ++i) {
      char digits[12];
      std::snprintf(digits, sizeof digits, "%04d", i);
      leads.push_back({{"phone_number", prefix + digits}});
    }
    auto res = api().post("/v1/workflows/" + wf + "/leads", {{"leads", leads}});
    EXPECT_EQ(res.status, 201) << res.body.substr(0, 500);
    return res.json()["lead_ids"];
  }
  Json lead(const std::string& wf, const std::string& id) {
    return api().get("/v1/workflows/" + wf + "/leads/" + id).json();
  }
  Json history(const std::string& wf, const std::string& id) {
    return api().get("/v1/workflows/" + wf + "/leads/" + id + "/history").json()["history"];
  }
  Json calls_of(const std::string& lead_id) {
    return api().get("/v1/calls?limit=100&lead_id=" + lead_id).json()["data"];
  }
  void activate(const std::string& wf) {
    auto res = api().post("/v1/workflows/" + wf + "/activate");
    ASSERT_EQ(res.status, 200) << res.body;
  }
  static Json call_config(Json extra = Json::object()) {
    Json c = voice_config();
    for (auto& [k, v] : extra.items()) c[k] = v;
    return c;
  }

  std::shared_ptr<util::ManualClock> clock_ = std::make_shared<util::ManualClock>(kStart);
};

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

}  // namespace leadline::test
