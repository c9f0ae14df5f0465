#include "http/rate_limiter.h"

#include <gtest/gtest.h>

namespace leadline::http {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, SpendsBurstThenRefillsAtRate) {
  RateLimiter limiter(10, 3);
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  const std::int64_t unix0 = 1'700'000'000;
  auto first = limiter.take_at_for_test("k", t0, unix0);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.limit, 10);
  EXPECT_EQ(first.remaining, 2);
  EXPECT_EQ(first.reset_unix, unix0 + 1);  // 1 token at 10/s: under a second
  EXPECT_TRUE(limiter.take_at_for_test("k", t0, unix0).allowed);
  EXPECT_TRUE(limiter.take_at_for_test("k", t0, unix0).allowed);
  auto empty = limiter.take_at_for_test("k", t0, unix0);
  EXPECT_FALSE(empty.allowed);
  EXPECT_EQ(empty.remaining, 0);
  EXPECT_EQ(empty.retry_after, 1);
  // 100 ms later one token is back.
  EXPECT_TRUE(limiter.take_at_for_test("k", t0 + milliseconds(100), unix0).allowed);
  EXPECT_FALSE(limiter.take_at_for_test("k", t0 + milliseconds(100), unix0).allowed);
}

TEST(RateLimiter, KeysHaveSeparateBuckets) {
  RateLimiter limiter(1, 1);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(limiter.take_at_for_test("a", t0, 0).allowed);
  EXPECT_FALSE(limiter.take_at_for_test("a", t0, 0).allowed);
  EXPECT_TRUE(limiter.take_at_for_test("b", t0, 0).allowed);
}

TEST(RateLimiter, RetryAfterCoversSlowRates) {
  RateLimiter limiter(0.25, 1);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(limiter.take_at_for_test("a", t0, 100).allowed);
  auto denied = limiter.take_at_for_test("a", t0, 100);
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.retry_after, 4);
  EXPECT_EQ(denied.reset_unix, 104);
}

}  // namespace
}  // namespace leadline::http
