#include "http/errors.h"

namespace leadline::http {

ApiError bad_request(std::string message) { return ApiError(400, Json(std::move(message))); }
ApiError bad_request(const std::vector<std::string>& messages) {
  if (messages.size() == 1) return bad_request(messages.front());
  return ApiError(400, Json(messages));
}
ApiError unauthorized() { return ApiError(401, Json("API key is missing or invalid")); }
ApiError not_found(std::string message) { return ApiError(404, Json(std::move(message))); }
ApiError conflict(std::string message) { return ApiError(409, Json(std::move(message))); }
ApiError payload_too_large(std::string message) { return ApiError(413, Json(std::move(message))); }
ApiError unsupported_media_type(std::string message) {
  return ApiError(415, Json(std::move(message)));
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

Json error_body(int status, const Json& message) {
  Json body;
  body["statusCode"] = status;
  body["message"] = message;
  body["error"] = std::string(reason_phrase(status));
  return body;
}

}  // namespace leadline::http
