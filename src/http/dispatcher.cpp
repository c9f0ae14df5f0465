#include "http/dispatcher.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <spdlog/spdlog.h>

#include "http/errors.h"
#include "http/url.h"
#include "util/text.h"

namespace leadline::http {
namespace {

namespace bhttp = boost::beast::http;

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

// Runs `step`, turning what it throws into an error-shaped answer.
template <typename Step>
std::optional<Response> guarded(const Request& request, Step&& step) {
  try {
    step();
    return std::nullopt;
  } catch (const ApiError& e) {
    return error_of(e.status(), e.message());
  } catch (const std::exception& e) {
    // The detail may hold SQL or internals: log it, never send it.
    spdlog::error("{} {} failed: {}", request.method, request.path, e.what());
  } catch (...) {
    spdlog::error("{} {} failed with a non-standard exception", request.method, request.path);
  }
  return error_of(500, "Internal server error");
}

BeastResponse to_beast(Response&& in, unsigned version, bool keep_alive, bool head) {
  BeastResponse out{static_cast<bhttp::status>(in.status), version};
  out.set(bhttp::field::server, "leadline");
  const bool bodiless = in.status == 204 || in.status == 304 || in.status < 200;
  if (!bodiless) out.set(bhttp::field::content_type, in.content_type);
  for (auto& [name, value] : in.headers) out.insert(name, value);
  if (!bodiless) {
    out.content_length(in.body.size());  // a HEAD answer tells the length of what GET sends
    if (!head) out.body() = std::move(in.body);
  }
  out.keep_alive(keep_alive);
  return out;
}

}  // namespace

Dispatcher::Dispatcher(Router router, Authenticator authenticate, DispatcherOptions options)
    : router_(std::move(router)),
      authenticate_(std::move(authenticate)),
      failed_auth_(
          std::make_unique<RateLimiter>(options.failed_auth_per_second, options.failed_auth_burst)),
      metrics_(std::move(options.metrics)) {
  if (options.rate_per_second > 0)
    limiter_ = std::make_unique<RateLimiter>(options.rate_per_second, options.burst);
}

Admission Dispatcher::admit(const BeastHeader& header, std::string_view client_address) {
  Admission admission;
  auto failure = guarded(admission.request, [&] {
    route(header, admission);
    if (admission.route == nullptr) return;  // refused (405), or the fallback: no key needed
    if (admission.route->requires_auth) authenticate(client_address, admission);
    if (limiter_) {
      // Keys of one organization share its budget: minting keys buys nothing.
      const bool by_org = admission.route->requires_auth;
      admission.limit = limiter_->take(by_org ? "org:" + admission.request.org_id
                                              : "addr:" + std::string(client_address));
      if (!admission.limit->allowed) throw ApiError(429, Json("Rate limit exceeded"));
    }
  });
  if (failure) admission.refusal = std::move(failure);
  return admission;
}

void Dispatcher::route(const BeastHeader& header, Admission& admission) const {
  Request& out = admission.request;
  out.method = std::string(header.method_string());
  const Target target = split_target(header.target());
  if (target.path.empty() || target.path.front() != '/')
    throw bad_request("Malformed request target");
  auto path = percent_decode(target.path);
  if (!path) throw bad_request("Malformed percent-encoding in path");
  out.path = std::move(*path);
  std::string query_error;
  auto query = parse_query(target.query, &query_error);
  if (!query) throw bad_request(query_error);
  out.query = std::move(*query);

  // HEAD is GET without the body (RFC 9110 §9.3.2).
  const std::string method = out.method == "HEAD" ? "GET" : out.method;
  auto match = router_.match(method, target.path);
  // Ids and names reach the databases, which refuse what is not text (a 500).
  for (const auto& [name, value] : match.params)
    if (auto problem = text_problem(value))
      throw bad_request("Path parameter " + name + " " + std::string(*problem));
  if (auto problem = text_problem(out.path))
    throw bad_request("The request path " + std::string(*problem));
  if (match.route == nullptr) {
    if (!match.path_matched && method == "GET" && router_.fallback()) {
      admission.fallback = true;
    } else if (match.path_matched) {
      std::string allow;
      for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
      if (std::find(match.allowed.begin(), match.allowed.end(), "GET") != match.allowed.end())
        allow += ", HEAD";
      Response refusal = error_of(405, Json("Cannot " + out.method + " " + out.path));
      refusal.headers.emplace_back("Allow", allow);
      admission.refusal = std::move(refusal);
      return;
    } else {
      throw not_found("Cannot " + out.method + " " + out.path);
    }
  }
  admission.route = match.route;
  out.path_params = std::move(match.params);
  out.headers.reserve(static_cast<std::size_t>(std::distance(header.begin(), header.end())));
  for (const auto& field : header)
    out.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
}

void Dispatcher::authenticate(std::string_view client_address, Admission& admission) {
  // An address that keeps presenting bad keys may go on using keys known to be valid (other
  // clients behind the same address), but new ones are not checked until it slows down: no
  // guessing keys, no flooding the key store.
  const std::string client = std::string(client_address);
  const bool limited = failed_auth_->exhausted(client);
  Request& request = admission.request;
  const std::string_view header = trim(request.header("authorization"));
  std::optional<Principal> principal;
  if (util::starts_with_ignore_case(header, "bearer ")) {
    const std::string_view credential = trim(header.substr(7));
    if (!credential.empty()) principal = authenticate_(credential, !limited);
  }
  if (!principal) {
    if (limited)
      throw ApiError(429, Json("Too many failed authentication attempts from this address"));
    failed_auth_->take(client);
    throw unauthorized();
  }
  request.key_id = std::move(principal->key_id);
  request.org_id = std::move(principal->org_id);
}

BeastResponse Dispatcher::respond(Admission& admission, std::string&& body, unsigned version,
                                  bool keep_alive) const {
  Response response;
  if (admission.refusal) {
    response = std::move(*admission.refusal);
  } else {
    admission.request.body = std::move(body);
    auto failure = guarded(admission.request, [&] { response = run(admission); });
    if (failure) response = std::move(*failure);
  }
  if (const auto& limit = admission.limit) {
    response.headers.emplace_back("X-RateLimit-Limit", std::to_string(limit->limit));
    response.headers.emplace_back("X-RateLimit-Remaining", std::to_string(limit->remaining));
    response.headers.emplace_back("X-RateLimit-Reset", std::to_string(limit->reset_unix));
    if (!limit->allowed)
      response.headers.emplace_back("Retry-After", std::to_string(limit->retry_after));
  }
  if (metrics_) {
    const std::size_t index =
        admission.route != nullptr
            ? static_cast<std::size_t>(admission.route - router_.routes().data())
            : (admission.fallback ? metrics_->fallback_index() : metrics_->unmatched_index());
    metrics_->observe(
        index, response.status,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - admission.started)
            .count());
  }
  return to_beast(std::move(response), version, keep_alive, admission.request.method == "HEAD");
}

Response Dispatcher::run(Admission& admission) const {
  if (admission.fallback) return router_.fallback()(admission.request);
  return admission.route->handler(admission.request);
}

BeastResponse Dispatcher::error_response(int status, std::string_view message, unsigned version) {
  return to_beast(error_of(status, Json(std::string(message))), version, false, false);
}

}  // namespace leadline::http
