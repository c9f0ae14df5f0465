#include "providers/call_provider.h"

#include "util/json_parse.h"
#include "util/utf8.h"

namespace leadline::providers {
namespace {
constexpr std::size_t kMaxErrorLength = 300;

std::string shorten(std::string text) {
  if (text.size() > kMaxErrorLength) text = text.substr(0, kMaxErrorLength) + "...";
  return util::to_valid_utf8(text);  // stored: a cut or the provider may break UTF-8
}

// The provider's own words from an error body: "message" (a string or a list), "error", or
// the body itself.
std::string provider_message(const HttpResponse& response) {
  const Json body = util::parse_json_or_text(response.body);
  if (body.is_object()) {
    for (const char* field : {"message", "error", "detail"}) {
      auto it = body.find(field);
      if (it == body.end()) continue;
      if (it->is_string()) return shorten(it->get<std::string>());
      if (it->is_array()) {
        std::string joined;
        for (const auto& part : *it)
          if (part.is_string()) joined += (joined.empty() ? "" : "; ") + part.get<std::string>();
        if (!joined.empty()) return shorten(joined);
      }
      if (it->is_object() && it->contains("message") && (*it)["message"].is_string())
        return shorten((*it)["message"].get<std::string>());
    }
  }
  return shorten(response.body);
}

std::optional<std::string> provider_call_id(const std::string& body_text) {
  const Json body = util::parse_json_or_text(body_text);
  for (const Json* object :
       {&body, body.is_object() && body.contains("data") ? &body["data"] : nullptr}) {
    if (!object || !object->is_object()) continue;
    for (const char* field : {"id", "call_id"})
      if (auto it = object->find(field); it != object->end()) {
        if (it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
        if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
      }
  }
  return std::nullopt;
}
}  // namespace

Json create_call_body(const domain::Call& call, const Json& variables) {
  Json metadata = variables.is_object() ? variables : Json::object();
  metadata["call_id"] = call.id;
  metadata["workflow_id"] = call.workflow_id;
  metadata["lead_id"] = call.lead_id;
  metadata["node_id"] = call.node_id;
  metadata["attempt"] = call.attempt;
  Json body = {{"phone_number", call.to_phone_number},
               {"agent_id", call.agent_id},
               {"metadata", std::move(metadata)}};
  if (call.agent_version_number) body["agent_version_number"] = *call.agent_version_number;
  if (!call.from_phone_number.empty()) body["from_phone_number"] = call.from_phone_number;
  return body;
}

PlaceCallAnswer interpret_create_call(const HttpResponse& response) {
  const int status = response.status;
  if (status >= 200 && status < 300)
    return {PlaceCallAnswer::kPlaced, provider_call_id(response.body), ""};
  if (status == 0) return {PlaceCallAnswer::kRetry, std::nullopt, response.error};
  const std::string error = "HTTP " + std::to_string(status) + ": " + provider_message(response);
  // Timeouts, rate limits and server errors pass; other client errors are the provider's
  // final word on this call.
  if (status == 408 || status == 425 || status == 429 || status >= 500)
    return {PlaceCallAnswer::kRetry, std::nullopt, error};
  return {PlaceCallAnswer::kRejected, std::nullopt, error};
}

HttpCallProvider::HttpCallProvider(CallProviderConfig config)
    : config_(std::move(config)), calls_url_(config_.url) {
  while (!calls_url_.empty() && calls_url_.back() == '/') calls_url_.pop_back();
  calls_url_ += "/calls";
}

PlaceCallAnswer HttpCallProvider::place(const domain::Call& call, const Json& variables) {
  OutboundRequest request;
  request.method = "POST";
  request.url = calls_url_;
  request.headers = {{"Authorization", "Bearer " + config_.key},
                     {"Idempotency-Key", call.idempotency_key()},
                     {"Content-Type", "application/json"}};
  request.body =
      create_call_body(call, variables).dump(-1, ' ', false, Json::error_handler_t::replace);
  request.timeout = config_.timeout;
  request.allow_private_targets = config_.allow_private_targets;
  return interpret_create_call(client_.send(request));
}

}  // namespace leadline::providers
