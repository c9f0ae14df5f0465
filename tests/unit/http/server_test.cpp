#include "http/server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "http/errors.h"
#include "http/request_metrics.h"
#include "util/metrics.h"

namespace leadline::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using net::ip::tcp;

using ClientResponse = bhttp::response<bhttp::string_body>;

// A blocking HTTP/1.1 client on one keep-alive connection.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(ioc_) {
    socket_.connect({net::ip::make_address("127.0.0.1"), port});
  }

  ClientResponse send(bhttp::verb method, std::string target, std::string body = {},
                      std::string auth = "k1:s1") {
    bhttp::request<bhttp::string_body> request{method, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    if (!auth.empty()) request.set(bhttp::field::authorization, "Bearer " + auth);
    if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
    request.body() = std::move(body);
    request.prepare_payload();
    bhttp::write(socket_, request);
    return read();
  }

  ClientResponse read() {
    ClientResponse response;
    bhttp::read(socket_, buffer_, response);
    return response;
  }

  // The answer to a HEAD request: its Content-Length announces a body that never comes.
  ClientResponse read_head_answer() {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(true);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }

  // Writes raw bytes, for requests a well-behaved client cannot produce.
  void write_raw(const std::string& bytes) { net::write(socket_, net::buffer(bytes)); }

  // True when the server has closed the connection (a read sees EOF or a reset).
  bool closed_by_peer() {
    char byte;
    boost::system::error_code ec;
    socket_.read_some(net::buffer(&byte, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

Json body_of(const ClientResponse& response) { return Json::parse(response.body()); }

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 2;
    router_.add(
        "GET", "/health",
        [](const Request&) {
          return Response::json(200, {{"ok", true}});
        },
        /*requires_auth=*/false);
    router_.add("GET", "/v1/things/{id}", [](const Request& r) {
      Json query = Json::object();
      for (const auto& [k, v] : r.query) query[k] = v;
      return Response::json(200, {{"id", r.param("id")},
                                  {"path", r.path},
                                  {"query", query},
                                  {"org", r.org_id},
                                  {"key", r.key_id},
                                  {"agent", std::string(r.header("X-Test"))}});
    });
    router_.add("POST", "/v1/things", [](const Request& r) {
      Response response = Response::json(201, r.json());
      response.headers.emplace_back("X-Extra", "yes");
      return response;
    });
    router_.add("GET", "/v1/api-error",
                [](const Request&) -> Response { throw conflict("Workflow is active"); });
    router_.add("GET", "/v1/crash",
                [](const Request&) -> Response { throw std::runtime_error("SQL: secret detail"); });
    // k1 is "known" (valid without a look-up, as a cached key is); k4 needs a look-up.
    auto authenticate = [](std::string_view credential,
                           bool may_look_up) -> std::optional<Principal> {
      if (credential == "k4:s4" && may_look_up) return Principal{"k4", "org_4"};
      if (credential == "k1:s1") return Principal{"k1", "org_1"};
      if (credential == "k2:s2") return Principal{"k2", "org_1"};
      if (credential == "k3:s3") return Principal{"k3", "org_2"};
      return std::nullopt;
    };
    server_ = std::make_unique<Server>(options, router_, authenticate);
    server_->start();
  }

  Router router_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, RoutesWithDecodedParamsQueryAndHeaders) {
  start();
  Client client(server_->port());
  const Json expected = {{"id", "a b"},
                         {"path", "/v1/things/a b"},
                         {"query", {{"x", "1 2"}, {"y", "\xC3\xA9"}}},
                         {"org", "org_1"},
                         {"key", "k1"},
                         {"agent", ""}};
  auto response = client.send(bhttp::verb::get, "/v1/things/a%20b?x=1+2&y=%C3%A9&x=3");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response[bhttp::field::content_type], "application/json");
  EXPECT_EQ(response[bhttp::field::server], "leadline");
  EXPECT_EQ(body_of(response), expected);
}

TEST_F(ServerTest, LowerCasesHeaderNames) {
  start();
  Client client(server_->port());
  client.write_raw(
      "GET /v1/things/t1 HTTP/1.1\r\nHost: x\r\nAUTHORIZATION: Bearer k1:s1\r\n"
      "X-TEST: shout\r\n\r\n");
  auto response = client.read();
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(body_of(response)["agent"], "shout");
}

TEST_F(ServerTest, PostEchoesJsonWithExtraHeaders) {
  start();
  Client client(server_->port());
  auto response = client.send(bhttp::verb::post, "/v1/things", R"({"title":"t"})");
  EXPECT_EQ(response.result_int(), 201);
  EXPECT_EQ(response["X-Extra"], "yes");
  EXPECT_EQ(body_of(response), (Json{{"title", "t"}}));
}

TEST_F(ServerTest, UnknownRouteIs404AndWrongMethodIs405) {
  start();
  Client client(server_->port());
  auto missing = client.send(bhttp::verb::get, "/v1/nope");
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(
      body_of(missing),
      (Json{{"statusCode", 404}, {"message", "Cannot GET /v1/nope"}, {"error", "Not Found"}}));
  auto wrong = client.send(bhttp::verb::delete_, "/v1/things/t1");
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(body_of(wrong), (Json{{"statusCode", 405},
                                  {"message", "Cannot DELETE /v1/things/t1"},
                                  {"error", "Method Not Allowed"}}));
}

TEST_F(ServerTest, MissingOrWrongKeyIs401) {
  start();
  Client client(server_->port());
  const Json expected = {
      {"statusCode", 401}, {"message", "API key is missing or invalid"}, {"error", "Unauthorized"}};
  auto missing = client.send(bhttp::verb::get, "/v1/things/t1", "", "");
  EXPECT_EQ(missing.result_int(), 401);
  EXPECT_EQ(body_of(missing), expected);
  auto wrong = client.send(bhttp::verb::get, "/v1/things/t1", "", "k1:wrong");
  EXPECT_EQ(wrong.result_int(), 401);
  EXPECT_EQ(body_of(wrong), expected);
  // Routes without auth need no key.
  EXPECT_EQ(client.send(bhttp::verb::get, "/health", "", "").result_int(), 200);
}

TEST_F(ServerTest, BodyOverLimitIs413AndCloses) {
  ServerOptions options;
  options.body_limit = 1024;
  start(options);
  Client client(server_->port());
  auto response = client.send(bhttp::verb::post, "/v1/things", std::string(1u << 20, 'x'));
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(body_of(response)["error"], "Payload Too Large");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(ServerTest, MalformedHttpIs400AndCloses) {
  start();
  Client client(server_->port());
  client.write_raw("GET /health HTTP/1.1\r\nBad Header Without Colon\r\n\r\n");
  auto response = client.read();
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(body_of(response)["statusCode"], 400);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  Client client(server_->port());
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/one").result_int(), 200);
  auto second = client.send(bhttp::verb::get, "/v1/things/two");
  EXPECT_EQ(second.result_int(), 200);
  EXPECT_TRUE(second.keep_alive());
  EXPECT_EQ(body_of(second)["id"], "two");
}

TEST_F(ServerTest, ApiErrorRendersItsShape) {
  start();
  Client client(server_->port());
  auto response = client.send(bhttp::verb::get, "/v1/api-error");
  EXPECT_EQ(response.result_int(), 409);
  EXPECT_EQ(body_of(response),
            (Json{{"statusCode", 409}, {"message", "Workflow is active"}, {"error", "Conflict"}}));
}

TEST_F(ServerTest, OtherExceptionsAre500WithoutDetail) {
  start();
  Client client(server_->port());
  auto response = client.send(bhttp::verb::get, "/v1/crash");
  EXPECT_EQ(response.result_int(), 500);
  EXPECT_EQ(body_of(response), (Json{{"statusCode", 500},
                                     {"message", "Internal server error"},
                                     {"error", "Internal Server Error"}}));
  // The connection survives a handler failure.
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t").result_int(), 200);
}

TEST_F(ServerTest, RateLimitHeadersAnd429WhenBurstIsSpent) {
  ServerOptions options;
  options.rate_limit_per_second = 1;
  options.rate_limit_burst = 2;
  start(options);
  Client client(server_->port());
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto first = client.send(bhttp::verb::get, "/v1/things/t");
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_EQ(first["X-RateLimit-Limit"], "1");
  EXPECT_EQ(first["X-RateLimit-Remaining"], "1");
  const auto reset = std::stoll(std::string(first["X-RateLimit-Reset"]));
  EXPECT_GE(reset, now);
  EXPECT_LE(reset, now + 3);
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t")["X-RateLimit-Remaining"], "0");
  auto limited = client.send(bhttp::verb::get, "/v1/things/t");
  EXPECT_EQ(limited.result_int(), 429);
  EXPECT_EQ(body_of(limited)["error"], "Too Many Requests");
  EXPECT_GE(std::stoll(std::string(limited[bhttp::field::retry_after])), 1);
  EXPECT_EQ(limited["X-RateLimit-Remaining"], "0");
  // Unauthenticated routes have a budget of their own, per client address.
  auto health = client.send(bhttp::verb::get, "/health", "", "");
  EXPECT_EQ(health.result_int(), 200);
  EXPECT_EQ(health["X-RateLimit-Remaining"], "1");
}

TEST_F(ServerTest, KeysOfOneOrganizationShareItsRateLimit) {
  ServerOptions options;
  options.rate_limit_per_second = 1;
  options.rate_limit_burst = 2;
  start(options);
  Client client(server_->port());
  // k1 and k2 both belong to org_1: minting a second key buys no second budget.
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t", "", "k1:s1").result_int(), 200);
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t", "", "k2:s2").result_int(), 200);
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t", "", "k2:s2").result_int(), 429);
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t", "", "k1:s1").result_int(), 429);
  // Another organization is untouched.
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t", "", "k3:s3").result_int(), 200);
}

TEST_F(ServerTest, FailedAuthenticationsAreLimitedPerAddress) {
  ServerOptions options;
  options.failed_auth_burst = 3;
  start(options);
  Client client(server_->port());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t", "", "k1:guess").result_int(), 401);
  // Now a key that would need looking up waits (guessing keys from one address is slow),
  // while a key known to be valid still works for the other clients behind the address.
  auto limited = client.send(bhttp::verb::get, "/v1/things/t", "", "k4:s4");
  EXPECT_EQ(limited.result_int(), 429);
  EXPECT_NE(body_of(limited)["message"].get<std::string>().find("failed authentication"),
            std::string::npos);
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t", "", "k1:s1").result_int(), 200);
  EXPECT_EQ(client.send(bhttp::verb::get, "/v1/things/t", "", "k1:guess").result_int(), 429);
}

TEST_F(ServerTest, RefusesARequestBeforeReadingItsBody) {
  start();
  Client client(server_->port());
  // A wrong key with a 50 MB body announced and none sent: the answer comes at once.
  client.write_raw(
      "POST /v1/things HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k1:wrong\r\n"
      "Content-Length: 50000000\r\n\r\n");
  auto response = client.read();
  EXPECT_EQ(response.result_int(), 401);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(ServerTest, AnswersExpectContinueOnceTheHeadIsAdmitted) {
  start();
  Client client(server_->port());
  client.write_raw(
      "POST /v1/things HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k1:s1\r\n"
      "Expect: 100-continue\r\nContent-Length: 7\r\n\r\n");
  auto interim = client.read();
  EXPECT_EQ(interim.result_int(), 100);
  client.write_raw("{\"a\":1}");
  auto response = client.read();
  EXPECT_EQ(response.result_int(), 201);
  EXPECT_EQ(body_of(response), (Json{{"a", 1}}));
}

TEST_F(ServerTest, HeadAnswersLikeGetWithoutABodyAnd405SaysWhatIsAllowed) {
  start();
  Client client(server_->port());
  auto get = client.send(bhttp::verb::get, "/v1/things/t1");
  client.write_raw("HEAD /v1/things/t1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k1:s1\r\n\r\n");
  auto head = client.read_head_answer();
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[bhttp::field::content_length], std::to_string(get.body().size()));
  EXPECT_TRUE(head.body().empty());
  auto wrong = client.send(bhttp::verb::delete_, "/v1/things/t1");
  EXPECT_EQ(wrong.result_int(), 405);
  EXPECT_EQ(wrong[bhttp::field::allow], "GET, HEAD");
  // The same connection still works after a HEAD answer without a body.
  EXPECT_EQ(client.send(bhttp::verb::get, "/health", "", "").result_int(), 200);
}

TEST_F(ServerTest, CapsConnectionsPerAddress) {
  ServerOptions options;
  options.max_connections_per_address = 2;
  start(options);
  {
    Client first(server_->port());
    Client second(server_->port());
    EXPECT_EQ(first.send(bhttp::verb::get, "/health", "", "").result_int(), 200);
    EXPECT_EQ(second.send(bhttp::verb::get, "/health", "", "").result_int(), 200);
    Client third(server_->port());
    auto refused = third.read();
    EXPECT_EQ(refused.result_int(), 503);
    EXPECT_NE(body_of(refused)["message"].get<std::string>().find("at most 2"), std::string::npos);
    EXPECT_TRUE(third.closed_by_peer());
  }
  // The slots free once the server has seen those connections close.
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    Client again(server_->port());
    status = again.send(bhttp::verb::get, "/health", "", "").result_int();
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 200);
}

TEST_F(ServerTest, RefusalsBeforeRoutingAreCountedByReason) {
  auto metrics = std::make_shared<RequestMetrics>(Router{});
  ServerOptions options;
  options.metrics = metrics;
  options.body_limit = 1024;
  options.max_connections_per_address = 1;
  start(options);
  auto rejected = [&](const std::string& reason) {
    util::MetricsWriter out;
    metrics->write(out);
    const std::string series = "leadline_http_rejected_total{reason=\"" + reason + "\"} ";
    const auto at = out.text().find(series);
    if (at == std::string::npos) return -1;
    return std::stoi(out.text().substr(at + series.size()));
  };
  {
    Client held(server_->port());
    EXPECT_EQ(held.send(bhttp::verb::get, "/health", "", "").result_int(), 200);
    Client refused(server_->port());
    EXPECT_EQ(refused.read().result_int(), 503);
  }
  // Each on a connection of its own, once the server has seen the last one close.
  auto answer_to = [&](const std::string& raw) {
    for (int i = 0; i < 200; ++i) {
      try {
        Client client(server_->port());
        client.write_raw(raw);
        const int status = client.read().result_int();
        if (status != 503) return status;
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  };
  EXPECT_EQ(answer_to("POST /v1/things HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k1:s1\r\n"
                      "Content-Type: application/json\r\nContent-Length: 2048\r\n\r\n" +
                      std::string(2048, ' ')),
            413);
  EXPECT_EQ(answer_to("GET /health HTTP/1.1\r\nBad Header Without Colon\r\n\r\n"), 400);
  EXPECT_EQ(answer_to("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') +
                      "\r\n\r\n"),
            400);
  EXPECT_GE(rejected("too_many_connections"), 1);
  EXPECT_EQ(rejected("body_too_large"), 1);
  EXPECT_EQ(rejected("malformed"), 1);
  EXPECT_EQ(rejected("headers_too_large"), 1);
}

TEST_F(ServerTest, NoRateLimitHeadersWhenDisabled) {
  ServerOptions options;
  options.rate_limit_per_second = 0;
  start(options);
  Client client(server_->port());
  auto response = client.send(bhttp::verb::get, "/v1/things/t");
  EXPECT_EQ(response.result_int(), 200);
  EXPECT_EQ(response.count("X-RateLimit-Limit"), 0u);
}

TEST_F(ServerTest, StopClosesOpenConnections) {
  start();
  Client client(server_->port());
  EXPECT_EQ(client.send(bhttp::verb::get, "/health").result_int(), 200);
  server_->stop();
  EXPECT_TRUE(client.closed_by_peer());
  server_->stop();  // idempotent
  server_.reset();
}

TEST(Server, StartThrowsWhenPortIsTaken) {
  Router router;
  Server first({.host = "127.0.0.1", .port = 0}, router, nullptr);
  first.start();
  ServerOptions options;
  options.port = first.port();
  Server second(options, router, nullptr);
  EXPECT_THROW(second.start(), std::runtime_error);
}

}  // namespace
}  // namespace leadline::http
