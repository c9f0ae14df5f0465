#pragma once
// Turns one Beast request into one Beast response in two steps. admit() decides from the
// request line and headers alone (target decoding, routing, authentication, rate limits), so
// a request that will be refused is answered before its body is read; respond() runs the
// handler on the body and renders every failure in the error shape. Both are called
// concurrently from several threads; neither throws.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/rate_limiter.h"
#include "http/request_metrics.h"
#include "http/router.h"
#include "http/server.h"

namespace leadline::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastHeader = BeastRequest::header_type;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

struct DispatcherOptions {
  // Requests per second per organization (its keys share it) on routes that need a key, and
  // per client address on the others; 0 turns rate limiting off.
  double rate_per_second = 0;
  double burst = 0;
  // Failed authentications per client address: after `failed_auth_burst` failures, one more
  // attempt per 1 / failed_auth_per_second seconds, valid key or not.
  double failed_auth_per_second = 1;
  double failed_auth_burst = 30;
  // Built from the same router (same route order); null: requests are not counted.
  std::shared_ptr<RequestMetrics> metrics = nullptr;
};

// What the request line and headers decided.
struct Admission {
  Request request;  // everything but the body
  const Route* route = nullptr;
  bool fallback = false;  // answered by the router's fallback (static files)
  std::optional<RateLimiter::Decision> limit;
  std::optional<Response> refusal;  // answer this and do not read the body
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

class Dispatcher {
 public:
  Dispatcher(Router router, Authenticator authenticate, DispatcherOptions options);

  Admission admit(const BeastHeader& header, std::string_view client_address);
  // The answer to an admitted request (or its refusal); `body` is moved into the request.
  BeastResponse respond(Admission& admission, std::string&& body, unsigned version,
                        bool keep_alive) const;

  // An error-shaped answer for failures found before a request could be dispatched
  // (malformed HTTP, body over the limit); it asks the client to close the connection.
  static BeastResponse error_response(int status, std::string_view message, unsigned version);
  // Counts such a refusal in the request metrics (when there are any).
  void count_rejection(RequestMetrics::Rejection why) const {
    if (metrics_) metrics_->reject(why);
  }

 private:
  void route(const BeastHeader& header, Admission& admission) const;
  void authenticate(std::string_view client_address, Admission& admission);
  Response run(Admission& admission) const;

  Router router_;
  Authenticator authenticate_;
  std::unique_ptr<RateLimiter> limiter_;      // null when rate limiting is off
  std::unique_ptr<RateLimiter> failed_auth_;  // per client address
  std::shared_ptr<RequestMetrics> metrics_;
};

}  // namespace leadline::http
