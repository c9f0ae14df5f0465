#include "http/dispatcher.h"

#include <cctype>
#include <string>

#include <spdlog/spdlog.h>

#include "http/errors.h"
#include "http/url.h"

namespace leadline::http {
namespace {

namespace bhttp = boost::beast::http;

bool starts_with_ignore_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Response error_of(int status, const Json& message) {
  return Response::json(status, error_body(status, message));
}

BeastResponse to_beast(Response&& in, unsigned version, bool keep_alive) {
  BeastResponse out{static_cast<bhttp::status>(in.status), version};
  out.set(bhttp::field::server, "leadline");
  const bool bodiless = in.status == 204 || in.status == 304 || in.status < 200;
  if (!bodiless) out.set(bhttp::field::content_type, in.content_type);
  for (auto& [name, value] : in.headers) out.insert(name, value);
  if (!bodiless) {
    out.content_length(in.body.size());
    out.body() = std::move(in.body);
  }
  out.keep_alive(keep_alive);
  return out;
}

}  // namespace

Dispatcher::Dispatcher(Router router, Authenticator authenticate, double rate_per_second,
                       double burst)
    : router_(std::move(router)), authenticate_(std::move(authenticate)) {
  if (rate_per_second > 0) limiter_ = std::make_unique<RateLimiter>(rate_per_second, burst);
}

BeastResponse Dispatcher::handle(BeastRequest& request) {
  Request req;
  std::optional<RateLimiter::Decision> limit;
  Response response;
  try {
    response = dispatch(request, req, limit);
  } catch (const ApiError& e) {
    response = error_of(e.status(), e.message());
  } catch (const std::exception& e) {
    // The detail may hold SQL or internals: log it, never send it.
    spdlog::error("{} {} failed: {}", req.method, req.path, e.what());
    response = error_of(500, "Internal server error");
  } catch (...) {
    spdlog::error("{} {} failed with a non-standard exception", req.method, req.path);
    response = error_of(500, "Internal server error");
  }
  if (limit) {
    response.headers.emplace_back("X-RateLimit-Limit", std::to_string(limit->limit));
    response.headers.emplace_back("X-RateLimit-Remaining", std::to_string(limit->remaining));
    response.headers.emplace_back("X-RateLimit-Reset", std::to_string(limit->reset_unix));
    if (!limit->allowed)
      response.headers.emplace_back("Retry-After", std::to_string(limit->retry_after));
  }
  return to_beast(std::move(response), request.version(), request.keep_alive());
}

Response Dispatcher::dispatch(BeastRequest& request, Request& out,
                              std::optional<RateLimiter::Decision>& limit) {
  out.method = std::string(request.method_string());
  const Target target = split_target(request.target());
  if (target.path.empty() || target.path.front() != '/')
    throw bad_request("Malformed request target");
  auto path = percent_decode(target.path);
  if (!path) throw bad_request("Malformed percent-encoding in path");
  out.path = std::move(*path);
  std::string query_error;
  auto query = parse_query(target.query, &query_error);
  if (!query) throw bad_request(query_error);
  out.query = std::move(*query);

  auto match = router_.match(out.method, target.path);
  // Ids and names reach the databases, which refuse what is not text (a 500).
  for (const auto& [name, value] : match.params)
    if (auto problem = text_problem(value))
      throw bad_request("Path parameter " + name + " " + std::string(*problem));
  if (auto problem = text_problem(out.path))
    throw bad_request("The request path " + std::string(*problem));
  if (match.route == nullptr) {
    if (!match.path_matched && out.method == "GET" && router_.fallback())
      return router_.fallback()(out);
    throw ApiError(match.path_matched ? 405 : 404, Json("Cannot " + out.method + " " + out.path));
  }
  out.path_params = std::move(match.params);

  out.headers.reserve(static_cast<std::size_t>(std::distance(request.begin(), request.end())));
  for (const auto& field : request)
    out.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  out.body = std::move(request.body());

  if (match.route->requires_auth) {
    authenticate(out);
    if (limiter_) {
      limit = limiter_->take(out.key_id);
      if (!limit->allowed) throw ApiError(429, Json("Rate limit exceeded"));
    }
  }
  return match.route->handler(out);
}

void Dispatcher::authenticate(Request& request) const {
  const std::string_view header = trim(request.header("authorization"));
  if (!starts_with_ignore_case(header, "bearer ")) throw unauthorized();
  const std::string_view credential = trim(header.substr(7));
  if (credential.empty()) throw unauthorized();
  auto principal = authenticate_(credential);
  if (!principal) throw unauthorized();
  request.key_id = std::move(principal->key_id);
  request.org_id = std::move(principal->org_id);
}

BeastResponse Dispatcher::error_response(int status, std::string_view message, unsigned version) {
  return to_beast(error_of(status, Json(std::string(message))), version, false);
}

}  // namespace leadline::http
