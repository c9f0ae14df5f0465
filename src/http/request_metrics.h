#pragma once
// HTTP request counts by route pattern, method and status, and latency histograms by route,
// recorded lock-free from every I/O thread. Slots are fixed when built from the router, so
// labels stay bounded whatever paths clients send: unmatched paths share one slot.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/router.h"
#include "util/metrics.h"

namespace leadline::http {

class RequestMetrics {
 public:
  // One slot per route of `router` (in its order), then the fallback and the unmatched.
  explicit RequestMetrics(const Router& router);

  // `route_index`: the route's position in the router, kFallback or kUnmatched.
  void observe(std::size_t route_index, int status, double seconds);
  std::size_t fallback_index() const { return slots_.size() - 2; }
  std::size_t unmatched_index() const { return slots_.size() - 1; }

  // Requests the connection layer refused before any route saw them.
  enum class Rejection { kTooManyConnections, kBodyTooLarge, kHeadersTooLarge, kMalformed };
  void reject(Rejection why);

  // leadline_http_requests_total, leadline_http_request_duration_seconds and
  // leadline_http_rejected_total.
  void write(util::MetricsWriter& out) const;

 private:
  static constexpr std::size_t kRejections = 4;
  std::array<std::atomic<std::uint64_t>, kRejections> rejected_{};
  static constexpr int kFirstStatus = 100;
  static constexpr int kStatuses = 500;  // 100..599
  struct Slot {
    std::string method;
    std::string route;
    std::array<std::atomic<std::uint64_t>, kStatuses> by_status{};
    util::Histogram latency{util::Histogram::duration_buckets()};
  };
  std::vector<std::unique_ptr<Slot>> slots_;
};

}  // namespace leadline::http
