#pragma once
// A small blocking HTTP/1.1 client over real loopback TCP for tests: one keep-alive
// connection, reopened if the server closed it.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "util/json.h"

namespace leadline::test {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  // The body parsed as JSON (null when it is not JSON).
  Json json() const;
  std::string header(const std::string& name) const;
};

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::string bearer = "");
  ~HttpClient();

  HttpResult request(const std::string& method, const std::string& target,
                     const std::optional<std::string>& body = std::nullopt,
                     const std::map<std::string, std::string>& headers = {});
  HttpResult get(const std::string& target) { return request("GET", target); }
  HttpResult del(const std::string& target) { return request("DELETE", target); }
  HttpResult post(const std::string& target, const Json& body) {
    return request("POST", target, body.dump());
  }
  HttpResult post(const std::string& target) { return request("POST", target, std::string()); }
  HttpResult patch(const std::string& target, const Json& body) {
    return request("PATCH", target, body.dump());
  }
  void set_bearer(std::string bearer) { bearer_ = std::move(bearer); }

 private:
  void connect();
  std::uint16_t port_;
  std::string bearer_;
  boost::asio::io_context io_;
  std::optional<boost::beast::tcp_stream> stream_;
};

}  // namespace leadline::test
