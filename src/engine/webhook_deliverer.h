#pragma once
// Sends webhook deliveries from the durable outbox (spec §7): claims due deliveries with a
// lease, POSTs each, signed, to its webhook, and records the attempt: 2xx is delivered,
// anything else is retried with exponential backoff until the event is older than
// give_up_after, then the delivery is failed. Runs on its own threads and its own short
// transactions, never inside the engine's. start() runs it in the background; drain()
// delivers inline (tests on a manual clock). Several processes may run one each.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/delivery_pacer.h"
#include "providers/http_client.h"
#include "store/store.h"
#include "util/clock.h"

namespace leadline::engine {

struct DelivererOptions {
  size_t batch_size = 256;  // deliveries claimed per transaction
  size_t concurrency = 32;  // requests in flight per batch
  // Batches in flight at once in the background (each claims its own; per-lead order holds
  // because a lead's next delivery is not claimable while its previous one is pending).
  size_t lanes = 2;
  std::chrono::milliseconds timeout{10'000};           // per request, total
  std::chrono::milliseconds idle_poll{100};            // real sleep when nothing is due
  util::Millis lease_millis = 120'000;                 // clock ms a claim is held (> timeout)
  util::Millis first_retry_millis = 10'000;            // delay after the first failed attempt
  util::Millis max_retry_millis = 3'600'000;           // the backoff doubles up to this
  util::Millis give_up_after_millis = 24 * 3'600'000;  // since the event; then "failed"
  bool allow_private_targets = false;  // deliveries may reach loopback/private hosts
  // The most deliveries per second for one organization, across its webhooks (0: no cap);
  // those over it wait, not counted as attempts (DeliveryPacer).
  double org_rate_per_second = 0;
  // A receiver that took this long to answer (or never did) is slow for `slow_for`: its
  // deliveries go through a lane of their own, so batches of other receivers (and other
  // organizations) never wait for it.
  std::chrono::milliseconds slow_after{2'000};
  std::chrono::seconds slow_for{300};
};

struct DelivererStats {
  std::uint64_t attempts = 0;
  std::uint64_t delivered = 0;
  std::uint64_t retried = 0;
  std::uint64_t failed = 0;  // gave up
  std::uint64_t paced = 0;   // held back by their organization's rate, not attempted
};

// The delay before attempt `attempts + 1` after `attempts` failed ones: first_retry doubling,
// capped at max_retry, times a jitter factor in [0.8, 1.0] drawn from `jitter` (0..1).
util::Millis retry_delay(int attempts, const DelivererOptions& options, double jitter);

// The headers and body of one delivery: Content-Type, X-Signature (sha256=<hex HMAC-SHA256 of
// the body with the secret>), X-Event-Id, X-Webhook-Id, X-Delivery-Attempt, User-Agent.
struct SignedRequest {
  std::string body;
  Json headers = Json::object();
};
SignedRequest sign_delivery(const store::ClaimedDelivery& claimed);

class WebhookDeliverer {
 public:
  WebhookDeliverer(store::DeliveryOutbox& store, const util::Clock& clock,
                   DelivererOptions options = {});
  ~WebhookDeliverer();

  void start();
  void stop();
  // Runs batches until nothing is due at the clock's current time; answers attempts made.
  std::size_t drain();
  // Which receivers a batch serves: all but the slow ones, or only the slow ones.
  enum class Lane { kFast, kSlow };
  // Claims and sends one batch of the lane at `now`; answers the deliveries attempted.
  std::size_t run_batch(util::Millis now, Lane lane = Lane::kFast);
  DelivererStats stats() const;

 private:
  void loop(Lane lane);
  std::vector<std::string> slow_webhooks();  // drops the ones whose time is up
  void note_answer_time(const std::string& webhook_id, std::chrono::steady_clock::duration took,
                        bool answered);

  store::DeliveryOutbox& store_;
  const util::Clock& clock_;
  DelivererOptions options_;
  std::string owner_;           // this deliverer's lease owner id
  providers::HttpClient http_;  // keep-alive connections per receiver, shared by the senders
  std::atomic<bool> running_{false};
  std::vector<std::thread> threads_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  std::optional<DeliveryPacer> pacer_;  // when options_.org_rate_per_second > 0
  std::atomic<std::uint64_t> attempts_{0}, delivered_{0}, retried_{0}, failed_{0}, paced_{0};
  std::mutex slow_mutex_;  // guards slow_until_
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> slow_until_;
};

}  // namespace leadline::engine
