#include "http/message.h"

#include <algorithm>
#include <stdexcept>

#include "http/errors.h"
#include "util/json_parse.h"
#include "util/text.h"

namespace leadline::http {
std::string_view Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (util::iequals(key, name)) return value;
  return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

const std::string& Request::param(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  if (it == path_params.end()) throw std::out_of_range("no path parameter " + std::string(name));
  return it->second;
}

Json Request::json() const {
  // The content type is not enforced: `curl -d '{...}'` labels JSON as a form, and the body
  // parses or it does not.
  if (body.empty()) throw bad_request("Request body must be a JSON object");
  std::string problem;
  auto parsed = util::parse_json(body, util::kDefaultJsonLimits, &problem);
  if (!parsed) {
    if (problem == "malformed JSON") throw bad_request("Malformed JSON in request body");
    throw bad_request("Request body is over a limit: " + problem);
  }
  if (!parsed->is_object()) throw bad_request("Request body must be a JSON object");
  return std::move(*parsed);
}

Response Response::json(int status, const Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

}  // namespace leadline::http
