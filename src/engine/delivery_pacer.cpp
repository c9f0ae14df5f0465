#include "engine/delivery_pacer.h"

#include <algorithm>
#include <cmath>

namespace leadline::engine {
namespace {
// Organizations whose buckets have refilled are forgotten past this many (they start full
// again anyway), so the map stays bounded.
constexpr std::size_t kForgetAbove = 10'000;
}  // namespace

DeliveryPacer::DeliveryPacer(double per_second)
    : per_second_(per_second),
      burst_(std::max(1.0, per_second)),
      interval_(
          std::max<util::Millis>(1, static_cast<util::Millis>(std::ceil(1000.0 / per_second)))) {}

std::optional<util::Millis> DeliveryPacer::admit(const std::string& org_id, util::Millis now) {
  std::lock_guard lock(mutex_);
  if (buckets_.size() > kForgetAbove && !buckets_.contains(org_id))
    std::erase_if(buckets_, [&](const auto& entry) {
      const Bucket& b = entry.second;
      return b.tokens + static_cast<double>(now - b.updated) * per_second_ / 1000.0 >= burst_ &&
             b.next_slot <= now;
    });
  auto [it, fresh] = buckets_.try_emplace(org_id, Bucket{burst_, now, 0});
  Bucket& bucket = it->second;
  if (!fresh && now > bucket.updated) {
    bucket.tokens = std::min(
        burst_, bucket.tokens + static_cast<double>(now - bucket.updated) * per_second_ / 1000.0);
    bucket.updated = now;
  }
  // Deliveries held back come due again in the order of their slots, and claims take them
  // in due order, before anything that came due later.
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::nullopt;
  }
  // When the bucket next holds a whole token, and not before the slot of the last one held.
  const auto refill =
      static_cast<util::Millis>(std::ceil(std::max(0.0, 1 - bucket.tokens) * 1000.0 / per_second_));
  const util::Millis slot = std::max({bucket.next_slot, now + refill, now + 1});
  bucket.next_slot = slot + interval_;
  return slot;
}

}  // namespace leadline::engine
