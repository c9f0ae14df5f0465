#include "http/request_metrics.h"

namespace leadline::http {

RequestMetrics::RequestMetrics(const Router& router) {
  auto add = [&](std::string method, std::string route) {
    auto slot = std::make_unique<Slot>();
    slot->method = std::move(method);
    slot->route = std::move(route);
    slots_.push_back(std::move(slot));
  };
  for (const auto& route : router.routes()) add(route.method, route.pattern);
  add("GET", "static");     // the dashboard's files
  add("ANY", "unmatched");  // 404 and 405: any method, any path
}

void RequestMetrics::observe(std::size_t route_index, int status, double seconds) {
  if (route_index >= slots_.size()) route_index = unmatched_index();
  Slot& slot = *slots_[route_index];
  if (status >= kFirstStatus && status < kFirstStatus + kStatuses)
    slot.by_status[static_cast<std::size_t>(status - kFirstStatus)].fetch_add(
        1, std::memory_order_relaxed);
  slot.latency.observe(seconds);
}

void RequestMetrics::reject(Rejection why) {
  rejected_[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
}

void RequestMetrics::write(util::MetricsWriter& out) const {
  constexpr std::string_view kRequests = "leadline_http_requests_total";
  constexpr std::string_view kDuration = "leadline_http_request_duration_seconds";
  out.family(kRequests, "counter", "HTTP requests answered, by method, route pattern and status.");
  for (const auto& slot : slots_) {
    for (int i = 0; i < kStatuses; ++i) {
      const auto n = slot->by_status[static_cast<std::size_t>(i)].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out.sample(kRequests,
                 {{"method", slot->method},
                  {"route", slot->route},
                  {"code", std::to_string(kFirstStatus + i)}},
                 static_cast<double>(n));
    }
  }
  out.family(kDuration, "histogram",
             "Time from a request's head to its answer, by method and route pattern.");
  for (const auto& slot : slots_) {
    // Routes never called are left out: hundreds of empty series help no one.
    std::uint64_t total = 0;
    for (auto c : slot->latency.bucket_counts()) total += c;
    if (total == 0) continue;
    out.histogram(kDuration, {{"method", slot->method}, {"route", slot->route}}, slot->latency);
  }
  constexpr std::string_view kRejected = "leadline_http_rejected_total";
  out.family(kRejected, "counter",
             "Requests refused before routing (answered 503, 413 or 400), by reason.");
  static constexpr std::array<std::string_view, kRejections> kReasons = {
      "too_many_connections", "body_too_large", "headers_too_large", "malformed"};
  for (std::size_t i = 0; i < kRejections; ++i)
    out.sample(kRejected, {{"reason", std::string(kReasons[i])}},
               static_cast<double>(rejected_[i].load(std::memory_order_relaxed)));
}

}  // namespace leadline::http
