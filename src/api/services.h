#pragma once
// What route handlers are given: the store, the clock and a few server settings. Owned by the app;
// outlives the server.
#include <optional>
#include <string>

#include "http/errors.h"
#include "http/router.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/metrics.h"

namespace leadline::api {

struct Services {
  store::Store& store;
  const util::Clock& clock;
  // How long a call lasts in a projection (the simulator's call length).
  std::int64_t projected_call_millis = 30'000;
  // Webhook URLs, WEBHOOK nodes and http.request actions may name loopback/private hosts.
  bool allow_private_targets = false;
  // The call provider's signing secret (--provider-secret); nullopt with the simulator, which
  // reports no events.
  std::optional<std::string> provider_secret;
  // What GET /metrics renders besides the database's counts; null: only those.
  const util::Metrics* metrics = nullptr;
  // Store failures (StoreError) seen by request handlers; null: not counted.
  util::Counter* database_errors = nullptr;
};

// A route handler in the API layer: the request plus the services it may use.
using ApiHandler = http::Response (*)(const http::Request&, Services&);

// Adapts an ApiHandler to the router's handler type; a store conflict (a uniqueness rule or
// a status that moved underneath the request) answers 409 with the store's message.
inline http::Handler bind(ApiHandler fn, Services& services) {
  return [fn, &services](const http::Request& request) {
    try {
      return fn(request, services);
    } catch (const store::ConflictError& e) {
      throw http::conflict(e.what());
    } catch (const store::StoreError&) {
      if (services.database_errors) services.database_errors->add();
      throw;
    }
  };
}

}  // namespace leadline::api
