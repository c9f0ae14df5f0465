#pragma once
// Turns one parsed Beast request into one Beast response: target decoding, routing,
// authentication, rate limiting, the handler, and the error shape for every failure.
// handle() is called concurrently from worker threads; it never throws.
#include <memory>
#include <optional>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/rate_limiter.h"
#include "http/router.h"
#include "http/server.h"

namespace leadline::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

class Dispatcher {
 public:
  // rate_per_second == 0 turns rate limiting off.
  Dispatcher(Router router, Authenticator authenticate, double rate_per_second, double burst);

  // Moves the body out of request; the rest of it is only read.
  BeastResponse handle(BeastRequest& request);

  // An error-shaped answer for failures found before a request could be dispatched
  // (malformed HTTP, body over the limit); it asks the client to close the connection.
  static BeastResponse error_response(int status, std::string_view message, unsigned version);

 private:
  Response dispatch(BeastRequest& request, Request& out,
                    std::optional<RateLimiter::Decision>& limit);
  void authenticate(Request& request) const;

  Router router_;
  Authenticator authenticate_;
  std::unique_ptr<RateLimiter> limiter_;  // null when rate limiting is off
};

}  // namespace leadline::http
