#pragma once
// Request-ending errors. Handlers throw ApiError; the server renders every one of them as
// {"statusCode", "message", "error"} with the matching status (spec §1 "Errors").
#include <stdexcept>
#include <string>
#include <vector>

#include "util/json.h"

namespace leadline::http {

class ApiError : public std::runtime_error {
 public:
  // message is a JSON string, or an array of strings when several fields fail at once.
  ApiError(int status, Json message)
      : std::runtime_error(message.is_string() ? message.get<std::string>() : message.dump()),
        status_(status),
        message_(std::move(message)) {}
  int status() const { return status_; }
  const Json& message() const { return message_; }

 private:
  int status_;
  Json message_;
};

ApiError bad_request(std::string message);
ApiError bad_request(const std::vector<std::string>& messages);
ApiError unauthorized();
ApiError not_found(std::string message);
ApiError conflict(std::string message);
ApiError payload_too_large(std::string message);
ApiError unsupported_media_type(std::string message);

// "Bad Request" for 400 and so on; "Error" for codes it does not know.
std::string_view reason_phrase(int status);
// The body of an error answer: {"statusCode": status, "message": ..., "error": phrase}.
Json error_body(int status, const Json& message);

}  // namespace leadline::http
