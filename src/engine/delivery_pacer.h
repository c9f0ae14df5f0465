#pragma once
// Holds each organization's webhook deliveries to at most `per_second`, in bursts of up to
// one second's worth: a token bucket per organization, in clock time (so tests on a manual
// clock see it exactly). A delivery over the rate is not sent; it gets a time to be claimed
// again, one interval after the previous one held back, so a backlog comes due at the rate
// rather than all at once. Thread-safe. The rate is per process: n instances deliver up to
// n times it.
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "util/time.h"

namespace leadline::engine {

class DeliveryPacer {
 public:
  explicit DeliveryPacer(double per_second);

  // nullopt: send now (the organization had room). Otherwise when to try again.
  std::optional<util::Millis> admit(const std::string& org_id, util::Millis now);

 private:
  struct Bucket {
    double tokens = 0;
    util::Millis updated = 0;
    util::Millis next_slot = 0;  // the time given to the next delivery held back
  };
  double per_second_;
  double burst_;
  util::Millis interval_;  // between two deliveries at the rate, at least 1 ms
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mutex_
};

}  // namespace leadline::engine
