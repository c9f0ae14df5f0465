#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>

namespace leadline::http {

RateLimiter::RateLimiter(double rate, double burst) : rate_(rate), burst_(std::max(burst, 1.0)) {}

RateLimiter::Decision RateLimiter::take(const std::string& key) {
  const auto unix_now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  return take_at_for_test(key, std::chrono::steady_clock::now(), unix_now);
}

void RateLimiter::refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  // steady_clock never goes back, but two threads may pass "now" out of order.
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  if (elapsed > 0) {
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.updated = now;
  }
}

void RateLimiter::prune(Shard& shard, std::chrono::steady_clock::time_point now) const {
  // A full bucket is the same as no bucket: forgetting it changes no decision.
  for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
    refill(it->second, now);
    it = it->second.tokens >= burst_ ? shard.buckets.erase(it) : std::next(it);
  }
  shard.prune_at = std::max(kPruneAbove, 2 * shard.buckets.size());
}

bool RateLimiter::exhausted(const std::string& key) {
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) return false;
  refill(it->second, std::chrono::steady_clock::now());
  return it->second.tokens < 1;
}

RateLimiter::Decision RateLimiter::take_at_for_test(const std::string& key,
                                                    std::chrono::steady_clock::time_point now,
                                                    std::int64_t now_unix) {
  Shard& shard = shards_[std::hash<std::string>{}(key) % kShards];
  double tokens = 0;
  bool allowed = false;
  {
    std::lock_guard lock(shard.mutex);
    if (shard.buckets.size() >= shard.prune_at) prune(shard, now);
    auto [it, inserted] = shard.buckets.try_emplace(key, Bucket{burst_, now});
    Bucket& bucket = it->second;
    if (!inserted) refill(bucket, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      allowed = true;
    }
    tokens = bucket.tokens;
  }
  Decision d;
  d.allowed = allowed;
  d.limit = static_cast<std::int64_t>(rate_);
  d.remaining = static_cast<std::int64_t>(std::floor(tokens));
  d.reset_unix = now_unix + static_cast<std::int64_t>(std::ceil((burst_ - tokens) / rate_));
  if (!allowed)
    d.retry_after =
        std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1 - tokens) / rate_)));
  return d;
}

}  // namespace leadline::http
