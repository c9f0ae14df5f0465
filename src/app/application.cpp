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
  if (options_.sim_call_seconds < 0)
    throw std::invalid_argument("--sim-call-seconds must be 0 or more");
  store_ = store::open_store({options_.database});
  engine::SchedulerOptions engine_options;
  engine_options.simulator.call_millis =
      static_cast<std::int64_t>(options_.sim_call_seconds * 1000.0);
  engine_options.allow_private_targets = options_.allow_private_targets;
  engine_ = std::make_unique<engine::Scheduler>(*store_, *clock_, engine_options);
  engine::DelivererOptions deliverer_options;
  deliverer_options.allow_private_targets = options_.allow_private_targets;
  webhooks_ = std::make_unique<engine::WebhookDeliverer>(*store_, *clock_, deliverer_options);
  services_ = std::make_unique<api::Services>(api::Services{
      *store_, *clock_, engine_options.simulator.call_millis, options_.allow_private_targets});
  api::register_all_routes(router_, *services_);
  if (options_.web_dir) api::register_static_files(router_, *options_.web_dir);
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
  server_ =
      std::make_unique<http::Server>(server_options, router_, api::make_authenticator(*store_));
  server_->start();
  if (options_.run_engine) {
    engine_->start();
    webhooks_->start();
  }
  return server_->port();
}

void Application::stop() {
  if (server_) server_->stop();
  if (engine_) engine_->stop();
  if (webhooks_) webhooks_->stop();
}

}  // namespace leadline::app
