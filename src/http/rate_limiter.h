#pragma once
// Token buckets by key (spec §1 "Rate limits": per organization; also per client address for
// unauthenticated routes and failed keys). Thread-safe: keys are spread over independently
// locked shards so concurrent requests of different keys rarely contend. Memory stays bounded:
// buckets that have refilled are forgotten when a shard grows large.
#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace leadline::http {

class RateLimiter {
 public:
  // rate: tokens added per second; burst: bucket size (a new key starts full).
  RateLimiter(double rate, double burst);

  struct Decision {
    bool allowed = false;
    std::int64_t limit = 0;        // X-RateLimit-Limit: the per-second rate
    std::int64_t remaining = 0;    // X-RateLimit-Remaining: whole tokens left
    std::int64_t reset_unix = 0;   // X-RateLimit-Reset: when the bucket is full again
    std::int64_t retry_after = 0;  // Retry-After seconds (>= 1) when not allowed
  };
  // Takes one token from key's bucket if it has one.
  Decision take(const std::string& key);
  // Whether key's bucket is empty now (takes nothing).
  bool exhausted(const std::string& key);
  // The same, at an explicit time, so tests need not sleep.
  Decision take_at_for_test(const std::string& key, std::chrono::steady_clock::time_point now,
                            std::int64_t now_unix);

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  static constexpr std::size_t kPruneAbove = 4096;  // buckets per shard
  // Cache-line sized so neighbouring shards' locks do not false-share.
  struct alignas(64) Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket> buckets;
    std::size_t prune_at = kPruneAbove;  // doubles when pruning frees little
  };
  static constexpr std::size_t kShards = 16;

  void refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;
  void prune(Shard& shard, std::chrono::steady_clock::time_point now) const;

  double rate_;
  double burst_;
  std::array<Shard, kShards> shards_;
};

}  // namespace leadline::http
