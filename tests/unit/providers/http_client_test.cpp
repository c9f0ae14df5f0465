// The outbound client against a real HTTP server on a loopback port (tests/support/http_peer):
// one URL parser with the target check, Host headers, and refusals that happen before
// connecting.
#include "providers/http_client.h"

#include <gtest/gtest.h>

#include "support/http_peer.h"

namespace leadline::providers {
namespace {
using test::HttpPeer;

OutboundRequest get(const std::string& url, bool allow_private = true) {
  OutboundRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = std::chrono::seconds(5);
  request.allow_private_targets = allow_private;
  return request;
}

TEST(HttpClient, UnderstandsUserInfoAndAQueryWithoutAPath) {
  HttpPeer peer;
  const std::string port = std::to_string(peer.port());
  auto response = send_request(get("http://user:secret@127.0.0.1:" + port + "?a=1&b=2"));
  ASSERT_EQ(response.status, 200) << response.error;
  ASSERT_EQ(peer.request_count(), 1u);
  EXPECT_EQ(peer.requests()[0].target, "/?a=1&b=2");
  EXPECT_EQ(peer.requests()[0].header("host"), "127.0.0.1:" + port);
  // The pooled client reads URLs the same way.
  HttpClient client;
  response = client.send(get("http://u@127.0.0.1:" + port + "/p#fragment"));
  ASSERT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(peer.requests()[1].target, "/p");
}

TEST(HttpClient, ResolvesNamesAndConnectsToTheCheckedAddress) {
  HttpPeer peer;
  auto response = send_request(get("http://localhost:" + std::to_string(peer.port()) + "/x"));
  ASSERT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(peer.request_count(), 1u);
}

TEST(HttpClient, RefusesSpecialPurposeTargetsBeforeConnecting) {
  HttpPeer peer;
  const std::string port = std::to_string(peer.port());
  for (const std::string& url : std::vector<std::string>{
           "http://127.0.0.1:" + port + "/", "http://localhost:" + port + "/",
           "http://127.1:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/",
           "http://198.18.0.1:9/", "http://192.0.2.1:9/", "http://100.64.0.1:9/",
           "http://[64:ff9b::7f00:1]:9/", "http://[2002:7f00:1::]:9/", "http://[2001:db8::1]:9/"}) {
    auto response = send_request(get(url, false));
    EXPECT_EQ(response.status, 0) << url;
    EXPECT_NE(response.error.find("private"), std::string::npos) << url << ": " << response.error;
    HttpClient client;
    EXPECT_NE(client.send(get(url, false)).error.find("private"), std::string::npos) << url;
  }
  EXPECT_EQ(peer.request_count(), 0u);
}

TEST(HttpClient, RefusesHeadersThatWouldSplitTheRequest) {
  HttpPeer peer;
  auto request = get(peer.url() + "/x");
  request.headers = {{"X-Note", "a\r\nX-Injected: yes"}};
  auto response = send_request(request);
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.error.find("X-Note"), std::string::npos) << response.error;
  request.headers = {{"X-Bad\r\nName", "a"}};
  EXPECT_EQ(HttpClient().send(request).status, 0);
  EXPECT_EQ(peer.request_count(), 0u);
  request.headers = {{"X-Note", "tab\tis fine"}};
  EXPECT_EQ(send_request(request).status, 200);
  ASSERT_EQ(peer.request_count(), 1u);
  EXPECT_EQ(peer.requests()[0].header("x-note"), "tab\tis fine");
}

}  // namespace
}  // namespace leadline::providers
