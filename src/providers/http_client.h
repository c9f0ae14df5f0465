#pragma once
// A blocking HTTP/1.1 client for outbound requests (WEBHOOK nodes, http.request actions):
// http and https, a total timeout, and a guard against private targets (spec §7).
#include <chrono>
#include <string>

#include "util/json.h"

namespace leadline::providers {

struct HttpResponse {
  int status = 0;  // 0 when no answer arrived
  std::string body;
  std::string error;  // set when status is 0: timeout, refused, blocked target, bad URL
};

struct OutboundRequest {
  std::string method = "POST";
  std::string url;
  Json headers = Json::object();  // name -> string
  std::string body;
  std::chrono::milliseconds timeout{10'000};
  bool allow_private_targets = false;
};

HttpResponse send_request(const OutboundRequest& request);

}  // namespace leadline::providers
