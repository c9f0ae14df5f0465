#pragma once
// A real HTTP/1.1 server on 127.0.0.1 that a test runs itself: the call provider or the webhook
// receiver Leadline talks to. It records every request and answers what the test's handler
// says, including slow answers and dropped connections.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "util/json.h"

namespace leadline::test {

struct PeerRequest {
  std::string method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-cased names

  std::string header(const std::string& lowercase_name) const;
  Json json() const;  // the body as JSON (discarded value when it is not JSON)
};

struct PeerReply {
  int status = 200;
  std::string body = "{}";
  std::chrono::milliseconds delay{0};  // wait this long before answering
  bool drop = false;                   // close the connection without answering
};

class HttpPeer {
 public:
  using Handler = std::function<PeerReply(const PeerRequest&)>;

  explicit HttpPeer(Handler handler = {});  // default: 200 {}
  ~HttpPeer();
  HttpPeer(const HttpPeer&) = delete;
  HttpPeer& operator=(const HttpPeer&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:PORT"
  void set_handler(Handler handler);
  std::vector<PeerRequest> requests() const;  // in arrival order
  std::size_t request_count() const;
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadline::test
