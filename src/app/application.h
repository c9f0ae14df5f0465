#pragma once
// Wires the store, the clock, the routes and the HTTP server into one running Leadline.
// `leadline serve` runs one; API tests start one in-process on port 0.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/services.h"
#include "app/freed_memory.h"
#include "engine/call_dispatcher.h"
#include "engine/scheduler.h"
#include "engine/webhook_deliverer.h"
#include "http/request_metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/metrics.h"

namespace leadline::app {

struct AppOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free port
  std::string database = "sqlite:leadline.db";
  std::int64_t sqlite_cache_mb = 256;  // all SQLite page caches together (MB)
  double time_scale = 1;               // clock runs this many times faster than real time
  double rate_limit = 1000;            // requests per second per organization; 0 = off
  double webhook_rate_per_org = 0;     // webhook deliveries per second per organization; 0 = off
  std::int64_t engine_threads = 1;     // engine lanes; above 1 only on PostgreSQL
  std::size_t body_limit = 64u << 20;  // bytes
  std::shared_ptr<util::Clock> clock;  // overrides time_scale when set (tests)
  double sim_call_seconds = 30;        // simulated call length, in clock seconds
  bool run_engine = true;              // false: tests step the engine by hand
  bool allow_private_targets = false;  // outbound HTTP may reach private addresses
  // Where calls go (spec §6.1): "simulator", or "http" with the provider's URL, API key and
  // signing secret (all three required).
  std::string call_provider = "simulator";
  std::string provider_url;
  std::string provider_key;
  std::string provider_secret;
  std::int64_t provider_max_concurrent = 100;  // calls in flight at the provider; 0 = no cap
  double call_timeout_seconds = 1800;          // no outcome this long after acceptance: FAILED
  std::chrono::milliseconds provider_request_timeout{10'000};  // one create-call request
  // The dashboard's built files (web/dist); an empty string serves a "not built" 404 at "/".
  // nullopt: no dashboard at all (API tests).
  std::optional<std::string> web_dir;
};

class Application {
 public:
  // Opens (and migrates) the database. Throws store::StoreError or std::invalid_argument.
  explicit Application(AppOptions options);
  ~Application();

  // Starts serving; answers the bound port.
  std::uint16_t start();
  void stop();

  store::Store& store() { return *store_; }
  const util::Clock& clock() const { return *clock_; }
  const http::Router& router() const { return router_; }
  engine::Scheduler& engine() { return *engine_; }
  engine::WebhookDeliverer& webhooks() { return *webhooks_; }
  // The sender of calls to an external provider; null with the simulator.
  engine::CallDispatcher* dispatcher() { return dispatcher_.get(); }
  // What GET /metrics renders besides the database's counts.
  const util::Metrics& metrics() const { return metrics_; }

 private:
  void register_metrics();

  AppOptions options_;
  std::shared_ptr<util::Clock> clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<api::Services> services_;
  std::unique_ptr<engine::Scheduler> engine_;
  std::unique_ptr<engine::WebhookDeliverer> webhooks_;
  std::unique_ptr<engine::CallDispatcher> dispatcher_;
  http::Router router_;
  util::Metrics metrics_;
  util::Counter http_database_errors_;
  std::shared_ptr<http::RequestMetrics> request_metrics_;
  std::unique_ptr<http::Server> server_;
  FreedMemoryReleaser freed_memory_{std::chrono::seconds(10)};
};

// Splits "HOST:PORT"; throws std::invalid_argument with a clear message.
std::pair<std::string, std::uint16_t> parse_listen(const std::string& listen);

}  // namespace leadline::app
