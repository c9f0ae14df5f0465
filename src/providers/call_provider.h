#pragma once
// The `http` call provider (spec §6.1): places one call attempt by POSTing the DialNexa
// create-call shape to `<provider url>/calls` with the attempt's Idempotency-Key, and says
// what the answer means: placed, refused for good (4xx), or worth another try (5xx, 408,
// 429, timeouts, connection errors). Thread-safe; keeps connections to the provider alive.
#include <optional>
#include <string>

#include "domain/lead.h"
#include "providers/http_client.h"

namespace leadline::providers {

struct CallProviderConfig {
  std::string url;  // base URL, e.g. https://api.dialnexa.example/v1
  std::string key;  // sent as Authorization: Bearer KEY
  std::chrono::milliseconds timeout{10'000};
  bool allow_private_targets = false;
};

struct PlaceCallAnswer {
  enum Kind { kPlaced, kRejected, kRetry } kind = kRetry;
  std::optional<std::string> provider_call_id;  // kPlaced, when the provider named one
  std::string error;                            // kRejected, kRetry: what went wrong
};

// The create-call body: phone_number, agent_id, agent_version_number, from_phone_number, and
// metadata = the lead's variables plus the ids that tie the call back to us.
Json create_call_body(const domain::Call& call, const Json& variables);

// What a provider's answer to create-call means.
PlaceCallAnswer interpret_create_call(const HttpResponse& response);

class HttpCallProvider {
 public:
  explicit HttpCallProvider(CallProviderConfig config);
  PlaceCallAnswer place(const domain::Call& call, const Json& variables);

 private:
  CallProviderConfig config_;
  std::string calls_url_;
  HttpClient client_;
};

}  // namespace leadline::providers
