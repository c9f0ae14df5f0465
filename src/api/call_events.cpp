// POST /v1/call-events (spec §6.1): the call provider reports calls here. The route takes no
// API key; the body must carry the provider's HMAC-SHA256 signature instead, checked over the
// raw bytes before anything is parsed.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "api/routes.h"
#include "domain/call_report.h"
#include "http/errors.h"
#include "util/crypto.h"
#include "util/json_parse.h"

namespace leadline::api {
namespace {
using http::Request;
using http::Response;

// X-Signature: sha256=<hex>, compared in constant time (hex in any case).
bool signature_valid(const Request& request, const std::string& secret) {
  std::string given(request.header("x-signature"));
  if (given.rfind("sha256=", 0) == 0) given.erase(0, 7);
  std::transform(given.begin(), given.end(), given.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return util::constant_time_equal(given, util::hmac_sha256_hex(secret, request.body));
}

// Records the report; when the database refuses it, records its outcome alone (without the
// transcript and analysis, where a refusal almost always comes from): a provider would send a
// refused report again for ever, and the lead would wait for a call that has ended. When
// that fails too, the database itself is failing and the provider is asked to retry (500).
store::CallReportResult record_report(const domain::CallReport& report, Services& services) {
  try {
    return services.store.record_call_report(report, services.clock.now());
  } catch (const std::exception& e) {
    domain::CallReport bare = report;
    bare.transcript.reset();
    bare.postcall_analysis = nullptr;
    const auto result = services.store.record_call_report(bare, services.clock.now());
    spdlog::error("call report for {} recorded without its details, which were refused: {}",
                  report.call_id.value_or(report.provider_call_id.value_or("?")), e.what());
    return result;
  }
}

Response post_call_event(const Request& request, Services& services) {
  if (!services.provider_secret)
    throw http::not_found(
        "Call events are not enabled: the server runs the call simulator (start it with "
        "--call-provider http)");
  if (!signature_valid(request, *services.provider_secret))
    throw http::ApiError(401, "X-Signature is missing or does not match the body");
  std::string problem;
  const auto body = util::parse_json(request.body, util::kDefaultJsonLimits, &problem);
  if (!body) throw http::bad_request("body must be valid JSON within limits: " + problem);
  auto parsed = domain::parse_call_report(*body);
  if (auto* problem = std::get_if<std::string>(&parsed)) throw http::bad_request(*problem);
  const auto& report = std::get<domain::CallReport>(parsed);
  switch (record_report(report, services)) {
    case store::CallReportResult::kRecorded:
      return Response::json(200, {{"status", "recorded"}, {"outcome", *report.outcome}});
    case store::CallReportResult::kAlreadyEnded:
      return Response::json(200, {{"status", "duplicate"}});
    case store::CallReportResult::kProgress:
      return Response::json(200, {{"status", "accepted"}});
    case store::CallReportResult::kUnknownCall:
      break;
  }
  throw http::not_found("Call not found");
}
}  // namespace

void register_call_event_routes(http::Router& router, Services& s) {
  router.add("POST", "/v1/call-events", bind(post_call_event, s), /*requires_auth=*/false);
}

}  // namespace leadline::api
