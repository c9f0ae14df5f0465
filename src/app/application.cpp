#include "app/application.h"

#include <charconv>
#include <stdexcept>

#include "api/routes.h"
#include "api/static_files.h"

namespace leadline::app {

std::pair<std::string, std::uint16_t> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw std::invalid_argument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const char* begin = listen.data() + colon + 1;
  const char* end = listen.data() + listen.size();
  auto [ptr, ec] = std::from_chars(begin, end, port);
  if (ec != std::errc() || ptr != end || port > 65535)
    throw std::invalid_argument("--listen port must be a number from 0 to 65535");
  return {host, static_cast<std::uint16_t>(port)};
}

Application::Application(AppOptions options) : options_(std::move(options)) {
  if (options_.clock) {
    clock_ = options_.clock;
  } else if (options_.time_scale == 1) {
    clock_ = std::make_shared<util::SystemClock>();
  } else if (options_.time_scale > 0) {
    clock_ = std::make_shared<util::ScaledClock>(options_.time_scale);
  } else {
    throw std::invalid_argument("--time-scale must be greater than 0");
  }
  if (options_.webhook_rate_per_org != 0 &&
      !(options_.webhook_rate_per_org >= 0.01 && options_.webhook_rate_per_org <= 1e6))
    throw std::invalid_argument(
        "--webhook-rate-per-org must be 0 (no cap) or from 0.01 to 1000000");
  if (options_.sim_call_seconds < 0)
    throw std::invalid_argument("--sim-call-seconds must be 0 or more");
  if (options_.call_provider != "simulator" && options_.call_provider != "http")
    throw std::invalid_argument("--call-provider must be simulator or http");
  if (options_.sqlite_cache_mb < 8 || options_.sqlite_cache_mb > (1 << 20))
    throw std::invalid_argument("--sqlite-cache-mb must be from 8 to 1048576");
  const bool external_calls = options_.call_provider == "http";
  if (external_calls) {
    if (options_.provider_url.empty() || options_.provider_key.empty() ||
        options_.provider_secret.empty())
      throw std::invalid_argument(
          "--call-provider http needs --provider-url, --provider-key and --provider-secret");
    if (!options_.provider_url.starts_with("http://") &&
        !options_.provider_url.starts_with("https://"))
      throw std::invalid_argument("--provider-url must start with http:// or https://");
    if (options_.call_timeout_seconds <= 0)
      throw std::invalid_argument("--call-timeout must be greater than 0");
    if (options_.provider_max_concurrent < 0)
      throw std::invalid_argument("--provider-max-concurrent must be 0 (no cap) or more");
  }
  store::StoreOptions store_options(options_.database);
  if (options_.engine_threads < 1 || options_.engine_threads > 8)
    throw std::invalid_argument("--engine-threads must be from 1 to 8");
  if (options_.engine_threads > 1 && !store_options.postgres())
    throw std::invalid_argument(
        "--engine-threads above 1 needs PostgreSQL: SQLite has one writer, so a second engine "
        "thread would only wait for the first");
  store_options.sqlite_cache_bytes = options_.sqlite_cache_mb << 20;
  store_ = store::open_store(store_options);
  engine::SchedulerOptions engine_options;
  engine_options.placement.external = external_calls;
  engine_options.placement.timeout_millis =
      static_cast<util::Millis>(options_.call_timeout_seconds * 1000.0);
  engine_options.simulator.call_millis =
      static_cast<std::int64_t>(options_.sim_call_seconds * 1000.0);
  engine_options.allow_private_targets = options_.allow_private_targets;
  engine_options.lanes = static_cast<std::size_t>(options_.engine_threads);
  engine_ = std::make_unique<engine::Scheduler>(*store_, *clock_, engine_options);
  engine::DelivererOptions deliverer_options;
  deliverer_options.allow_private_targets = options_.allow_private_targets;
  deliverer_options.org_rate_per_second = options_.webhook_rate_per_org;
  webhooks_ = std::make_unique<engine::WebhookDeliverer>(*store_, *clock_, deliverer_options);
  if (external_calls) {
    engine::DispatcherOptions dispatch;
    dispatch.provider.url = options_.provider_url;
    dispatch.provider.key = options_.provider_key;
    dispatch.provider.timeout = options_.provider_request_timeout;
    // The operator chose this URL (API users cannot), so a provider on a private network or
    // this host is fine; the private-target guard is for URLs that API users supply.
    dispatch.provider.allow_private_targets = true;
    dispatch.max_concurrent = options_.provider_max_concurrent;
    dispatcher_ = std::make_unique<engine::CallDispatcher>(*store_, *clock_, dispatch);
  }
  services_ = std::make_unique<api::Services>(api::Services{
      *store_, *clock_, engine_options.simulator.call_millis, options_.allow_private_targets,
      external_calls ? std::optional(options_.provider_secret) : std::nullopt});
  services_->metrics = &metrics_;
  services_->database_errors = &http_database_errors_;
  api::register_all_routes(router_, *services_);
  if (options_.web_dir) api::register_static_files(router_, *options_.web_dir);
  request_metrics_ = std::make_shared<http::RequestMetrics>(router_);
  register_metrics();
}

void Application::register_metrics() {
  metrics_.add_collector([m = request_metrics_](util::MetricsWriter& out) { m->write(out); });
  metrics_.add_collector([this](util::MetricsWriter& out) {
    const auto engine = engine_->stats();
    out.family("leadline_engine_steps_total", "counter", "Lead steps run by the engine.");
    out.sample("leadline_engine_steps_total", {}, static_cast<double>(engine.steps));
    out.family("leadline_engine_batches_total", "counter", "Engine batches committed.");
    out.sample("leadline_engine_batches_total", {}, static_cast<double>(engine.batches));
    out.family("leadline_engine_batch_failures_total", "counter", "Engine batches rolled back.");
    out.sample("leadline_engine_batch_failures_total", {}, static_cast<double>(engine.failures));
    out.family("leadline_engine_batch_duration_seconds", "histogram",
               "Time to claim, step and commit one engine batch.");
    out.histogram("leadline_engine_batch_duration_seconds", {}, engine_->batch_duration());
    out.family("leadline_engine_lateness_seconds", "histogram",
               "How long after its due time a lead was stepped.");
    out.histogram("leadline_engine_lateness_seconds", {}, engine_->lateness());
    out.family("leadline_database_errors_total", "counter",
               "Database failures seen by the HTTP layer and the engine.");
    out.sample("leadline_database_errors_total", {{"where", "http"}},
               static_cast<double>(http_database_errors_.value()));
    out.sample("leadline_database_errors_total", {{"where", "engine"}},
               static_cast<double>(engine.database_errors));
    out.sample("leadline_database_errors_total", {{"where", "count_fold"}},
               static_cast<double>(engine.count_fold_errors));
    // Zero with the simulator, which sends nothing.
    const auto calls = dispatcher_ ? dispatcher_->stats() : engine::DispatcherStats{};
    out.family("leadline_call_dispatch_total", "counter",
               "Requests to the call provider, by result.");
    out.sample("leadline_call_dispatch_total", {{"result", "placed"}},
               static_cast<double>(calls.placed));
    out.sample("leadline_call_dispatch_total", {{"result", "retried"}},
               static_cast<double>(calls.retried));
    out.sample("leadline_call_dispatch_total", {{"result", "failed"}},
               static_cast<double>(calls.failed));
    out.sample("leadline_call_dispatch_total", {{"result", "cancelled"}},
               static_cast<double>(calls.cancelled));
    const auto hooks = webhooks_->stats();
    out.family("leadline_webhook_deliveries_total", "counter",
               "Webhook delivery attempts, by result.");
    out.sample("leadline_webhook_deliveries_total", {{"result", "delivered"}},
               static_cast<double>(hooks.delivered));
    out.sample("leadline_webhook_deliveries_total", {{"result", "retried"}},
               static_cast<double>(hooks.retried));
    out.sample("leadline_webhook_deliveries_total", {{"result", "failed"}},
               static_cast<double>(hooks.failed));
    out.family("leadline_webhook_deliveries_paced_total", "counter",
               "Webhook deliveries held back by their organization's delivery rate.");
    out.sample("leadline_webhook_deliveries_paced_total", {}, static_cast<double>(hooks.paced));
  });
  metrics_.add_collector(util::write_process_metrics);
}

Application::~Application() { stop(); }

std::uint16_t Application::start() {
  auto [host, port] = parse_listen(options_.listen);
  http::ServerOptions server_options;
  server_options.host = host;
  server_options.port = port;
  server_options.rate_limit_per_second = options_.rate_limit;
  server_options.rate_limit_burst = options_.rate_limit * 2;
  server_options.body_limit = options_.body_limit;
  server_options.metrics = request_metrics_;
  server_ =
      std::make_unique<http::Server>(server_options, router_, api::make_authenticator(*store_));
  server_->start();
  freed_memory_.start();
  if (options_.run_engine) {
    engine_->start();
    webhooks_->start();
    if (dispatcher_) dispatcher_->start();
  }
  return server_->port();
}

void Application::stop() {
  if (server_) server_->stop();
  if (engine_) engine_->stop();
  if (webhooks_) webhooks_->stop();
  if (dispatcher_) dispatcher_->stop();
  freed_memory_.stop();
}

}  // namespace leadline::app
