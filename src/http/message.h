#pragma once
// The request and response values that route handlers see: no Beast types leak past here.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/json.h"

namespace leadline::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query string, e.g. "/v1/workflows/wf_1"
  std::map<std::string, std::string> query;                  // decoded query parameters
  std::map<std::string, std::string> path_params;            // "{id}" in the route pattern -> value
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  // Filled by the server's authentication step for routes that need a key.
  std::string org_id;
  std::string key_id;

  // The header's value, or "" when absent (name compared case-insensitively).
  std::string_view header(std::string_view name) const;
  // The query parameter's value, or nullopt when absent.
  std::optional<std::string> query_param(std::string_view name) const;
  // The path parameter's value; throws std::out_of_range when the route has no such name.
  const std::string& param(std::string_view name) const;
  // The body parsed as a JSON object. Throws ApiError 400 when the body is empty, is not
  // valid JSON, or is not an object.
  Json json() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response json(int status, const Json& body);
  static Response text(int status, std::string body, std::string content_type);
};

}  // namespace leadline::http
