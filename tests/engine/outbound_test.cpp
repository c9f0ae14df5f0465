// Outbound requests of WEBHOOK nodes and http.request actions, sent to a real HTTP server on a
// loopback port: each lead variable is encoded for where it lands (URL, header, JSON body), and
// a host that lead variables fill in is still held to the private-target rule when sent.
#include "engine/engine_fixture.h"
#include "support/http_peer.h"

namespace leadline::test {
namespace {

class Outbound : public EngineTest {
 protected:
  // hook -> (success) converted, (failure) dropped
  std::string wire(const std::string& wf, const std::string& hook) {
    auto won = create_node(wf, "CONVERTED");
    auto lost = create_node(wf, "DROPPED");
    create_edge(wf, hook, won, "success");
    create_edge(wf, hook, lost, "failure");
    return won;
  }
  // Steps until every request is answered and the answers are stepped. Twice: drain() can
  // return when an answer is recorded while its last batch is already looking for due leads.
  void settle_requests() {
    settle();
    settle();
  }
  HttpPeer peer_;
};

TEST_F(Outbound, WebhookNodeEncodesEachValueForWhereItLands) {
  auto wf = create_workflow();
  auto hook = create_node(wf, "WEBHOOK",
                          {{"url", peer_.url() + "/leads/{{ref}}?q={{q}}&n={{n}}"},
                           {"headers", {{"X-Note", "note={{note}}"}}},
                           {"body", {{"name", "{{name}}"}, {"text", "<{{note}}>"}}}});
  wire(wf, hook);
  auto id = enroll(wf, {{"ref", "../admin?x=1#"},
                        {"q", "a&role=admin b"},
                        {"n", 7},
                        {"name", "a\"b\\"},
                        {"note", "x\r\nX-Injected: yes"}});
  activate(wf);
  settle_requests();
  ASSERT_EQ(peer_.request_count(), 1u);
  const auto request = peer_.requests()[0];
  EXPECT_EQ(request.target, "/leads/..%2Fadmin%3Fx%3D1%23?q=a%26role%3Dadmin%20b&n=7");
  EXPECT_EQ(request.header("x-note"), "note=xX-Injected: yes");
  EXPECT_EQ(request.header("x-injected"), "");
  const Json body = request.json();
  ASSERT_TRUE(body.is_object()) << request.body;
  EXPECT_EQ(body["name"], "a\"b\\");
  EXPECT_EQ(body["text"], "<x\r\nX-Injected: yes>");
  EXPECT_EQ(lead(wf, id)["status"], "completed");
}

TEST_F(Outbound, HttpActionWithAStringBodyGetsValidJson) {
  auto wf = create_workflow();
  const std::string body_template =
      R"({"name": "{{name}}", "count": {{count}}, "vip": {{vip}}, "x": {{nope}}})";
  const Json action_config = {
      {"url", peer_.url() + "/crm/{{name}}"}, {"method", "PUT"}, {"body", body_template}};
  auto action = create_node(
      wf, "APPLICATION",
      {{"provider_key", "http"}, {"action_key", "request"}, {"action_config", action_config}});
  wire(wf, action);
  enroll(wf, {{"name", "a\"b\\"}, {"count", 3}, {"vip", true}});
  activate(wf);
  settle_requests();
  ASSERT_EQ(peer_.request_count(), 1u);
  const auto request = peer_.requests()[0];
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.target, "/crm/a%22b%5C");
  const Json body = request.json();
  ASSERT_TRUE(body.is_object()) << request.body;
  // Lead variables are kept as strings: outside a string literal one is written as a JSON
  // string, so the body stays valid whatever the value.
  EXPECT_EQ(body, Json({{"name", "a\"b\\"}, {"count", "3"}, {"vip", "true"}, {"x", nullptr}}));
}

class OutboundNoPrivate : public Outbound {
 protected:
  app::AppOptions options() override {
    auto o = Outbound::options();
    o.allow_private_targets = false;
    return o;
  }
};

TEST_F(OutboundNoPrivate, AVariableHostIsCheckedWhenTheRequestIsSent) {
  auto wf = create_workflow();
  auto hook = create_node(wf, "WEBHOOK",
                          {{"url", "http://{{host}}:" + std::to_string(peer_.port()) + "/x"},
                           {"allow_variable_host", true}});
  wire(wf, hook);
  auto loopback = enroll(wf, {{"host", "127.0.0.1"}});
  auto named = enroll(wf, {{"host", "localhost"}}, "+14155550124");
  // Characters that would change the authority are encoded, so the URL no longer parses.
  auto smuggled = enroll(wf, {{"host", "example.com@127.0.0.1"}}, "+14155550125");
  activate(wf);
  settle_requests();
  EXPECT_EQ(peer_.request_count(), 0u);
  for (const auto& id : {loopback, named}) {
    EXPECT_EQ(lead(wf, id)["status"], "dropped");
    auto h = history(wf, id);
    ASSERT_FALSE(h.empty());
    EXPECT_NE(h[0].dump().find("private"), std::string::npos) << h.dump();
  }
  EXPECT_EQ(lead(wf, smuggled)["status"], "dropped");
  EXPECT_NE(history(wf, smuggled).dump().find("invalid URL"), std::string::npos);
}

}  // namespace
}  // namespace leadline::test
