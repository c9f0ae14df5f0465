// Where outbound requests may go, as checked when a URL is saved (this server runs without
// --allow-private-targets): lead variables may not choose the host unless a node says so,
// literal addresses in every special-purpose range are refused, and host names are left to
// the send-time check (no DNS look-up on an API thread).
#include <netdb.h>
#include <unistd.h>
#include <cstring>

#include "api/api_fixture.h"
#include "providers/target_check.h"

namespace leadline::test {
namespace {

class OutboundTargetsTest : public ApiTest {
 protected:
  HttpResult add_webhook_node(const std::string& wf, const Json& config) {
    return api().post("/v1/workflows/" + wf + "/nodes",
                      {{"node_type", "WEBHOOK"}, {"config", config}});
  }
  HttpResult add_http_action(const std::string& wf, const Json& action_config) {
    return api().post("/v1/workflows/" + wf + "/nodes", {{"node_type", "APPLICATION"},
                                                         {"config",
                                                          {{"provider_key", "http"},
                                                           {"action_key", "request"},
                                                           {"action_config", action_config}}}});
  }
};

TEST_F(OutboundTargetsTest, APlaceholderMayNotChooseTheHostUnlessTheNodeAllowsIt) {
  auto wf = create_workflow();
  for (const char* url :
       {"https://{{host}}/x", "https://api.{{domain}}/x", "https://hooks.example.com:{{port}}/x",
        "https://{{user}}@hooks.example.com/x", "http://{{base}}"}) {
    auto res = add_webhook_node(wf, {{"url", url}});
    expect_error(res, 400);
    EXPECT_NE(res.body.find("config.url must not have a {{placeholder}} in its scheme, host or "
                            "port"),
              std::string::npos)
        << url << ": " << res.body;
    EXPECT_NE(res.body.find("allow_variable_host"), std::string::npos) << res.body;
  }
  auto res = add_http_action(wf, {{"url", "https://{{host}}/crm"}});
  expect_error(res, 400);
  EXPECT_NE(res.body.find("config.action_config.url must not have"), std::string::npos) << res.body;
  expect_error(
      add_webhook_node(wf, {{"url", "https://{{host}}/x"}, {"allow_variable_host", "yes"}}), 400);
  // Allowed explicitly: the host is checked when the request is sent.
  EXPECT_EQ(
      add_webhook_node(wf, {{"url", "https://{{host}}/x"}, {"allow_variable_host", true}}).status,
      201);
  EXPECT_EQ(
      add_http_action(wf, {{"url", "https://{{host}}/x"}, {"allow_variable_host", true}}).status,
      201);
  // Placeholders in the path and query are fine.
  EXPECT_EQ(add_webhook_node(wf, {{"url", "https://hooks.example.com/leads/{{lead_id}}?q={{ q }}"}})
                .status,
            201);
  // Changing a node's config obeys the same rule.
  auto node = create_node(wf, "WEBHOOK", {{"url", "https://hooks.example.com/x"}});
  expect_error(api().patch("/v1/workflows/" + wf + "/nodes/" + node,
                           {{"config", {{"url", "https://{{host}}/x"}}}}),
               400);
}

TEST_F(OutboundTargetsTest, ALiteralHostIsCheckedEvenWhenThePathHasPlaceholders) {
  auto wf = create_workflow();
  for (const char* url : {"http://127.0.0.1:9/leads/{{id}}", "http://[::1]/{{ lead.x }}",
                          "http://10.0.0.5/crm?id={{id}}"}) {
    auto res = add_webhook_node(wf, {{"url", url}});
    expect_error(res, 400);
    EXPECT_NE(res.body.find("private"), std::string::npos) << url << ": " << res.body;
  }
}

TEST_F(OutboundTargetsTest, LiteralAddressesOfEverySpecialPurposeRangeAreRefused) {
  for (const char* url :
       {"http://198.18.0.1/",     "http://192.0.2.1/",       "http://198.51.100.1/",
        "http://203.0.113.9/",    "http://100.64.0.1/",      "http://192.0.0.8/",
        "http://240.0.0.1/",      "http://255.255.255.255/", "http://127.1/",
        "http://0x7f.0.0.1/",     "http://2130706433/",      "http://localhost./",
        "http://app.localhost/",  "http://[2001:db8::1]/",   "http://[64:ff9b::a00:1]/",
        "http://[64:ff9b:1::1]/", "http://[2002:c0a8:1::]/", "http://[2001::1]/",
        "http://[fec0::1]/",      "http://[fd00::1]/",       "http://[100::1]/",
        "http://[::8.8.8.8]/",    "http://[ff02::1]/"}) {
    auto res = api().post("/v1/user-webhooks", {{"url", url}, {"events", {"call.failed"}}});
    expect_error(res, 400);
    EXPECT_NE(res.body.find("private"), std::string::npos) << url << ": " << res.body;
  }
  for (const char* url : {"https://8.8.8.8/hook", "https://[2606:4700:4700::1111]/hook"}) {
    auto res = api().post("/v1/user-webhooks", {{"url", url}, {"events", {"call.failed"}}});
    EXPECT_EQ(res.status, 201) << url << ": " << res.body;
  }
}

TEST_F(OutboundTargetsTest, HostNamesAreNotLookedUpWhenSaved) {
  // This machine's own name resolves to one of its addresses (often 127.0.1.1 through
  // /etc/hosts). Saving must not look it up; the send-time check refuses it.
  char name[256] = {};
  ASSERT_EQ(gethostname(name, sizeof name - 1), 0);
  addrinfo* found = nullptr;
  if (getaddrinfo(name, "80", nullptr, &found) != 0 || found == nullptr)
    GTEST_SKIP() << "the machine's name " << name << " does not resolve";
  bool is_private = false;
  for (auto* ai = found; ai != nullptr; ai = ai->ai_next) {
    boost::asio::ip::tcp::endpoint endpoint;
    endpoint.resize(ai->ai_addrlen);
    std::memcpy(endpoint.data(), ai->ai_addr, ai->ai_addrlen);
    is_private = is_private || providers::is_private(endpoint.address());
  }
  freeaddrinfo(found);
  if (!is_private) GTEST_SKIP() << "the machine's name " << name << " is a public address";
  auto res = api().post("/v1/user-webhooks", {{"url", "http://" + std::string(name) + "/hook"},
                                              {"events", {"call.failed"}}});
  EXPECT_EQ(res.status, 201) << res.body;
}

TEST_F(OutboundTargetsTest, HeadersMayNotCarryLineBreaks) {
  auto wf = create_workflow();
  auto res = add_webhook_node(
      wf, {{"url", "https://hooks.example.com/x"}, {"headers", {{"X-A", "a\r\nX-B: b"}}}});
  expect_error(res, 400);
  EXPECT_NE(res.body.find("config.headers.X-A must not contain control characters"),
            std::string::npos)
      << res.body;
  res = add_http_action(wf,
                        {{"url", "https://hooks.example.com/x"}, {"headers", {{"Bad Name", "a"}}}});
  expect_error(res, 400);
  EXPECT_NE(res.body.find("config.action_config.headers.Bad Name is not a valid header name"),
            std::string::npos)
      << res.body;
  EXPECT_EQ(add_webhook_node(wf, {{"url", "https://hooks.example.com/x"},
                                  {"headers", {{"Authorization", "Bearer {{token}}"}}}})
                .status,
            201);
}

}  // namespace
}  // namespace leadline::test
