#pragma once
// Outbound HTTP/1.1 (WEBHOOK nodes, http.request actions, the call provider, webhook
// deliveries): http and https, a total timeout that really bounds connect, write and read,
// and a guard against private targets (spec §7). `send_request` uses a fresh connection;
// `HttpClient` keeps connections alive per origin for senders that talk to one host a lot.
#include <chrono>
#include <memory>
#include <string>

#include "util/json.h"

namespace leadline::providers {

struct HttpResponse {
  int status = 0;  // 0 when no answer arrived
  std::string body;
  std::string error;  // set when status is 0: timeout, refused, blocked target, bad URL
};

struct OutboundRequest {
  std::string method = "POST";
  std::string url;
  Json headers = Json::object();  // name -> string
  std::string body;
  std::chrono::milliseconds timeout{10'000};
  bool allow_private_targets = false;
};

HttpResponse send_request(const OutboundRequest& request);

// Reuses keep-alive connections per origin (scheme, host, port); thread-safe. A request on a
// kept connection that the server had already closed is sent once more on a new one.
class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse send(const OutboundRequest& request);

 private:
  struct Pool;
  std::unique_ptr<Pool> pool_;
};

}  // namespace leadline::providers
